package io.vitlens.training.cli;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.RunLock;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.listeners.ProgressBarObserver;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * {@code vit train --spark MASTER}: hands the run to the optional {@code spark} module's engine. The
 * training module cannot depend on Spark (hundreds of MB), so the engine is found by name at run time.
 */
final class SparkLauncher {
    private SparkLauncher() {}

    static EpochMetrics train(ExperimentConfig cfg, Path out, boolean resume, boolean overwrite, String master) throws Exception {
        if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        Class<?> engine;
        try {
            engine = Class.forName("io.vitlens.spark.SparkTrainer");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--spark: the Spark engine is not on the classpath; build the cluster jar "
                    + "with `mvn -Pspark -pl spark -am package` and run it with spark-submit (docs/scaling.md)");
        }
        RunDirectory.check(out, resume, overwrite);
        // the driver writes the run directory: one writer per directory, as for the local trainer (RunLock)
        try (RunLock lock = RunLock.acquire(out)) {
            RunDirectory run = RunDirectory.prepare(out, resume, overwrite);
            return (EpochMetrics) engine.getMethod("train", ExperimentConfig.class, RunDirectory.class, String.class,
                    boolean.class, Trainer.Observer.class).invoke(null, cfg, run, "submit".equals(master) ? null : master,
                    resume, new ProgressBarObserver(System.out));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
    }
}
