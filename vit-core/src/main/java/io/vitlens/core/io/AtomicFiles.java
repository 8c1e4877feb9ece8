package io.vitlens.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way this project replaces a file (checkpoints, metrics, configs, safetensors, dataset caches,
 * downloads, predictions): write a temporary sibling {@code .NAME.RANDOM.tmp}, fsync it, rename it over the
 * target, fsync the directory. A crash at any moment leaves the old file or the new one, never half of one; the
 * directory fsync makes the rename itself survive a power cut (without it the new name may not be on disk yet).
 * Before this class there were four copies, and two of them never synced anything.
 *
 * <p>The temporary file is created with {@link Files#createFile} (not {@code createTempFile}, which makes it
 * owner-only), so the result has the permissions a plainly written file would have.
 *
 * <p>Failures of the file system (creating, writing, syncing or renaming) become a {@link WriteFailedException}
 * naming the target and the step; anything the body itself throws otherwise (a failed checksum, say) passes
 * through unchanged. Either way the target is as it was and the temporary file is gone.
 */
public final class AtomicFiles {
    /** Writes the new content; it may close the stream it is given. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static final int BUFFER = 1 << 16;

    private AtomicFiles() {}

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** @throws WriteFailedException naming {@code target} and the step that failed */
    public static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String step = "creating the directory " + dir;
        Path tmp = null;
        Tracked tracked = null;
        try {
            Files.createDirectories(dir);
            step = "creating a temporary file in " + dir;
            tmp = createTemp(dir, target.getFileName().toString());
            step = "writing the temporary file " + tmp.getFileName();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                tracked = new Tracked(new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER));
                body.write(tracked);
                tracked.flush();
                step = "syncing the temporary file " + tmp.getFileName() + " to disk";
                ch.force(true);
            }
            step = "renaming the temporary file " + tmp.getFileName() + " into place";
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // only where source and target lie on different stores, which a sibling never does on POSIX
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            boolean fromBody = tracked != null && step.startsWith("writing") && tracked.failure != e;
            if (e instanceof RuntimeException r) throw r;
            if (fromBody) throw (IOException) e;
            throw new WriteFailedException(target, "cannot write " + target + ": " + step + " failed: "
                    + WriteFailedException.describe((IOException) e) + " (" + target.getFileName() + " is unchanged)", e);
        }
        syncDirectory(dir);
    }

    /** {@code .NAME.RANDOM.tmp} beside the target, with default permissions. */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /**
     * Makes the rename durable. Best effort: the new content is already on disk, and some file systems cannot
     * open or sync a directory.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the file is complete either way; only the durability of its name across a power cut is weaker
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) return;
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the original error matters more
        }
    }

    /**
     * The stream a body writes to: records a failure of the file underneath (so it is reported as a failed write,
     * while the body's own exceptions pass through), and lets the body close it without closing the channel
     * before the fsync.
     */
    private static final class Tracked extends FilterOutputStream {
        IOException failure;

        Tracked(OutputStream out) { super(out); }

        @Override public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw failure = e;
            }
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw failure = e;
            }
        }

        @Override public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw failure = e;
            }
        }

        @Override public void close() throws IOException { flush(); }
    }
}
