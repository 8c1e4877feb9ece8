package io.vitlens.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One writer per run directory. A trainer holds an OS file lock ({@link FileChannel#tryLock()}, fcntl on Linux)
 * on {@code RUN/trainer.lock} for as long as it runs, and writes its PID into that file. A second trainer on the
 * same directory fails at once with {@link RunLockedException}, naming the directory and that PID. Two trainers
 * in one run directory used to interleave their metrics lines and mix their checkpoints (issue #16, item 8).
 *
 * <p>The OS drops the lock when the process ends however it ends (kill -9 included), so nothing stale can
 * block the next trainer: a leftover file without a lock is simply taken over. A clean {@link #close()} also
 * deletes the file, so a finished run holds exactly the files it held before locks existed. Readers
 * ({@code vit eval}, {@code analyze}) take no lock: checkpoints are written atomically, so they can read a run
 * that is training.
 *
 * <p>Deleting a lock file is only safe with a check on the taking side: a process may open the file just before
 * its holder deletes it and then lock the deleted file. So after locking, the taker checks that its file is
 * still linked ({@link #stillLinked}), and otherwise tries again.
 *
 * <p>Within one JVM the lock is re-entrant for the thread that holds it (the CLI takes it before preparing the
 * directory, and {@link Trainer#run} takes it again); any other thread is refused like another process.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE_NAME = "trainer.lock";
    /** Tries when the lock file is replaced under us; each replacement needs a holder that released meanwhile. */
    private static final int ATTEMPTS = 5;
    /** Locks this JVM holds, by directory (real path); guarded by itself. */
    private static final Map<Path, RunLock> HELD = new HashMap<>();

    private final Path dir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread owner = Thread.currentThread();
    private int holds = 1;

    private RunLock(Path dir, Path file, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code runDir}. */
    public static Path file(Path runDir) { return runDir.resolve(FILE_NAME); }

    /**
     * Takes the lock of {@code runDir}, creating the directory if needed.
     *
     * @throws RunLockedException when another process (or another thread of this one) holds it
     */
    public static RunLock acquire(Path runDir) throws IOException {
        synchronized (HELD) {
            // keyed by the real path: a second channel on a file this JVM has locked must never be opened, since
            // closing it would drop the lock (POSIX locks belong to the process, not to the descriptor)
            Path dir = Files.createDirectories(runDir.toAbsolutePath().normalize()).toRealPath();
            RunLock held = HELD.get(dir);
            if (held != null) {
                if (held.owner != Thread.currentThread())
                    throw new RunLockedException(runDir, file(runDir), ProcessHandle.current().pid() + " (this process, thread '"
                            + held.owner.getName() + "')");
                held.holds++;
                return held;
            }
            RunLock l = take(runDir, dir);
            HELD.put(dir, l);
            return l;
        }
    }

    private static RunLock take(Path runDir, Path dir) throws IOException {
        Path file = file(dir);   // a real path: the spelling /proc/self/fd uses
        for (int attempt = 1; ; attempt++) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {   // this JVM holds it under another spelling of the path
                ch.close();
                throw new RunLockedException(runDir, file(runDir), ProcessHandle.current().pid() + " (this process)");
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw new IOException("cannot lock " + file(runDir) + ": " + e.getMessage(), e);
            }
            if (lock == null) {
                String holder = holder(file);
                ch.close();
                throw new RunLockedException(runDir, file(runDir), holder);
            }
            if (stillLinked(file)) {
                try {
                    byte[] text = (ProcessHandle.current().pid() + "\nvit-lens trainer since " + Instant.now() + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                    ch.truncate(0);
                    ByteBuffer b = ByteBuffer.wrap(text);
                    while (b.hasRemaining()) ch.write(b, b.position());
                    ch.force(true);
                    return new RunLock(dir, file, ch, lock);
                } catch (IOException | RuntimeException e) {
                    lock.release();
                    ch.close();
                    throw new IOException("cannot write " + file(runDir) + ": " + e.getMessage(), e);
                }
            }
            // we locked a file its previous holder had just deleted; the path names another one now (or none)
            lock.release();
            ch.close();
            if (attempt == ATTEMPTS)
                throw new IOException("cannot lock " + file(runDir) + ": it was replaced " + ATTEMPTS
                        + " times while being locked; are trainers being started in a loop on " + runDir + "?");
        }
    }

    /**
     * Whether the file this process has open at {@code file} is still linked there, i.e. not deleted by a holder
     * that released the lock after we opened it. Linux names each open file in /proc/self/fd, with
     * " (deleted)" once it is unlinked; reading those links opens nothing. (Opening the lock file to compare
     * contents would not do: closing any descriptor of a file drops this process's POSIX locks on it.)
     * Where there is no /proc, the check is skipped and the race stays open: three trainers started within
     * the same few microseconds on one directory.
     */
    private static boolean stillLinked(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) return true;
        String deleted = file + " (deleted)";
        try (Stream<Path> s = Files.list(fds)) {
            return s.noneMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(deleted);
                } catch (IOException e) {   // the descriptor closed meanwhile (another thread's)
                    return false;
                }
            });
        }
    }

    /** "PID" from the first line of a held lock file, or a phrase when the holder has not written it yet. */
    private static String holder(Path file) {
        byte[] b = readOrNull(file);
        String first = b == null ? "" : new String(b, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
        return first.matches("\\d+") ? first : "unknown (it has not written its PID yet)";
    }

    private static byte[] readOrNull(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {   // gone (its holder ended meanwhile) or unreadable
            return null;
        }
    }

    /** The directory this lock guards. */
    public Path directory() { return dir; }

    /** Releases the lock (the last of this thread's nested holds): deletes the file, then unlocks. */
    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (--holds > 0) return;
            HELD.remove(dir);
        }
        try {
            Files.deleteIfExists(file);   // while still locked: see the class comment
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Another process (or thread) holds the run directory; exit status 2 at the command line. */
    public static final class RunLockedException extends IllegalArgumentException {
        private final String holder;

        RunLockedException(Path runDir, Path lockFile, String holder) {
            super("run directory " + runDir + " is in use: another trainer, process " + holder + ", holds its lock "
                    + lockFile + "; wait for that run to end (or stop it), then continue it with --resume");
            this.holder = holder;
        }

        /** The holder's PID as written in the lock file, with a note when it is this process. */
        public String holder() { return holder; }
    }
}
