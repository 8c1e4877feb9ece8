package io.vitlens.training;

import io.vitlens.analysis.job.RunCheckpoints;

import io.vitlens.training.checkpoint.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of a run directory:
 * <pre>
 * runs/NAME/
 *   config.yaml          the resolved experiment config (overrides applied)
 *   checkpoints/epoch-000.zip, epoch-001.zip, ...   (epoch-000 = initialisation)
 *   metrics.jsonl        one JSON object per epoch
 *   metrics.csv          the same, flat
 *   report/              written by `vit analyze`
 *   trainer.lock         only while a trainer writes the run: its PID, under an OS lock ({@link RunLock})
 * </pre>
 */
public record RunDirectory(Path root) {
    /** Temporary files of {@link io.vitlens.core.io.AtomicFiles}. */
    private static final Pattern INTERRUPTED_WRITE = Pattern.compile("\\..+\\.tmp");

    public Path config() { return root.resolve("config.yaml"); }
    public Path checkpoints() { return root.resolve("checkpoints"); }
    public Path checkpoint(int epoch) { return checkpoints().resolve(Checkpoint.fileName(epoch)); }
    public Path metricsJsonl() { return root.resolve("metrics.jsonl"); }
    public Path metricsCsv() { return root.resolve("metrics.csv"); }
    public Path report() { return root.resolve("report"); }

    /**
     * Makes the directory ready for a new run. An existing directory holding files is refused unless
     * {@code overwrite} (then its previous contents are removed) or {@code resume} (then temporary files of
     * writes a crash interrupted are removed). Empty folders alone, as a run that failed before writing
     * anything leaves them, do not count as a run, nor does a lock file ({@link RunLock}): the caller should hold
     * the directory's lock, since the removals here must not hit a run another trainer is writing.
     */
    public static RunDirectory prepare(Path root, boolean resume, boolean overwrite) throws IOException {
        RunDirectory rd = new RunDirectory(root);
        boolean nonEmpty = check(root, resume, overwrite);
        if (resume) {
            rd.removeInterruptedWrites();
            return rd;
        }
        if (nonEmpty) deleteContents(root);
        Files.createDirectories(rd.checkpoints());
        return rd;
    }

    /**
     * The refusals of {@link #prepare}, touching nothing, so that a command can refuse before it takes the
     * directory's lock (which creates the directory). Returns whether the directory holds a run.
     */
    public static boolean check(Path root, boolean resume, boolean overwrite) throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root))
            throw new IllegalArgumentException("--out " + root + ": exists and is not a directory");
        boolean nonEmpty = Files.isDirectory(root) && !isEmpty(root);
        if (resume && !nonEmpty) throw new IllegalArgumentException("--resume: " + root + " holds no run to resume");
        if (!resume && nonEmpty && !overwrite)
            throw new IllegalArgumentException("--out " + root + ": directory exists and is not empty; pass --resume "
                    + "to continue that run or --overwrite to replace it");
        return nonEmpty;
    }

    /**
     * Epochs of the complete checkpoints present, ascending. Temporary files of interrupted writes are ignored,
     * and so is anything by a checkpoint's name that is not a regular file. The analysis's {@link RunCheckpoints}
     * owns the rule, so that trainer and analysis agree on what a run holds.
     */
    public List<Integer> checkpointEpochs() throws IOException {
        return new RunCheckpoints(root).epochs();
    }

    public Optional<Integer> latestCheckpointEpoch() throws IOException {
        List<Integer> e = checkpointEpochs();
        return e.isEmpty() ? Optional.empty() : Optional.of(e.get(e.size() - 1));
    }

    /** True when {@code dir} holds nothing but (possibly nested) empty folders and its lock file. */
    private static boolean isEmpty(Path dir) throws IOException {
        Path lock = RunLock.file(dir);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.allMatch(p -> Files.isDirectory(p) || p.equals(lock));
        }
    }

    /**
     * Deletes the temporary files ({@code .NAME.RANDOM.tmp}) that atomic writes leave when the process is
     * killed before their rename: they are never complete files, and each checkpoint's can be large.
     */
    void removeInterruptedWrites() throws IOException {
        for (Path dir : List.of(root, checkpoints())) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> INTERRUPTED_WRITE.matcher(p.getFileName().toString()).matches()).toList())
                    Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes everything under {@code root} but its lock file, which the caller holds. */
    static void deleteContents(Path root) throws IOException {
        Path lock = RunLock.file(root);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList())
                if (!p.equals(root) && !p.equals(lock)) Files.delete(p);
        }
    }
}
