package io.vitlens.training;

import io.vitlens.core.io.WriteFailedException;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.config.TrainSection;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What every command that trains does before and after its engine runs ({@code vit train}, {@code vit train
 * --spark}, the Spark cluster jar): checks {@code --resume}/{@code --overwrite}, takes the run directory's
 * {@link RunLock}, prepares the directory, refuses a resume with other optimiser settings, and names the
 * checkpoint a failed run can continue from.
 */
public final class RunStart {

    /** Trains a prepared, locked run directory (typically {@code new Trainer(...).run(resume)}). */
    @FunctionalInterface
    public interface Body {
        EpochMetrics train(RunDirectory run) throws Exception;
    }

    private RunStart() {}

    /** Runs {@code body} on the run directory {@code out}, started, resumed or overwritten. */
    public static EpochMetrics train(ExperimentConfig cfg, Path out, boolean resume, boolean overwrite, Body body)
            throws Exception {
        if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        RunDirectory.check(out, resume, overwrite);   // refusals that touch nothing, before the lock creates --out
        try (RunLock lock = RunLock.acquire(out)) {   // before prepare: --overwrite must not delete a run in progress
            RunDirectory run = RunDirectory.prepare(out, resume, overwrite);
            if (resume) checkOptimiserUnchanged(cfg, run);
            try {
                return body.train(run);
            } catch (NonFiniteException e) {
                throw new NonFiniteException(e.getMessage() + "; " + lastGood(run) + " (lower train.lr, raise "
                        + "train.warmup-epochs or set train.grad-clip, and start again with --overwrite)", e);
            } catch (WriteFailedException e) {
                throw new WriteFailedException(e.target(), e.getMessage() + "; " + lastGood(run)
                        + " (fix the cause, then continue with --resume)", e);
            }
        }
    }

    /**
     * A checkpoint carries its optimiser (Adam's rate schedule, betas, epsilon, weight decay) inside the DL4J
     * model, and a resumed run continues with exactly that. A different value on resume would be silently
     * ignored, so it is refused. ({@code train.epochs} may change: {@link Trainer} re-plans the schedule.)
     */
    public static void checkOptimiserUnchanged(ExperimentConfig cfg, RunDirectory run) throws IOException {
        var last = run.latestCheckpointEpoch();
        if (last.isEmpty()) return;
        Path file = run.checkpoint(last.get());
        TrainSection was = ConfigLoader.bind(CheckpointIO.readMeta(file).config(), file + " (stored config)").train(), now = cfg.train();
        String[] keys = {"lr", "min-lr", "warmup-epochs", "weight-decay", "beta1", "beta2", "adam-epsilon"};
        double[] a = {was.lr(), was.minLr(), was.warmupEpochs(), was.weightDecay(), was.beta1(), was.beta2(), was.adamEpsilon()};
        double[] b = {now.lr(), now.minLr(), now.warmupEpochs(), now.weightDecay(), now.beta1(), now.beta2(), now.adamEpsilon()};
        for (int i = 0; i < keys.length; i++)
            if (Double.compare(a[i], b[i]) != 0)
                throw new IllegalArgumentException("--resume: train." + keys[i] + " is " + b[i] + " but the run in " + run.root()
                        + " was started with " + a[i] + "; the optimiser settings (train." + String.join(", train.", keys)
                        + ") live in its checkpoints and a resumed run keeps them. Start a new run (--overwrite or "
                        + "another --out) to change them");
    }

    /** Where a stopped run can continue from, for error messages. */
    private static String lastGood(RunDirectory run) {
        try {
            var last = run.latestCheckpointEpoch();
            return last.isPresent() ? "the last complete checkpoint, " + run.checkpoint(last.get()) + ", is kept"
                    : "no checkpoint was written";
        } catch (IOException e) {
            return "the checkpoints in " + run.checkpoints() + " cannot be listed (" + e.getMessage() + ")";
        }
    }
}
