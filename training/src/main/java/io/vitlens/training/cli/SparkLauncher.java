package io.vitlens.training.cli;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunStart;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.listeners.ProgressBarObserver;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * {@code vit train --spark MASTER}: the same run start as {@code vit train} ({@link RunStart}: lock, directory,
 * optimiser check) and the same epoch loop ({@link Trainer}), with the optional {@code spark} module's epoch
 * fit. The training module cannot depend on Spark (hundreds of MB), so that module's entry point is found by
 * name at run time.
 */
final class SparkLauncher {
    private SparkLauncher() {}

    static EpochMetrics train(ExperimentConfig cfg, Path out, boolean resume, boolean overwrite, String master) throws Exception {
        Class<?> engine;
        try {
            engine = Class.forName("io.vitlens.spark.SparkTrainer");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--spark: the Spark engine is not on the classpath; build the cluster jar "
                    + "with `mvn -Pspark -pl spark -am package` and run it with spark-submit (docs/scaling.md)");
        }
        return RunStart.train(cfg, out, resume, overwrite, run -> {
            try {
                return (EpochMetrics) engine.getMethod("train", ExperimentConfig.class, io.vitlens.training.RunDirectory.class,
                        String.class, boolean.class, Trainer.Observer.class).invoke(null, cfg, run,
                        "submit".equals(master) ? null : master, resume, new ProgressBarObserver(System.out));
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                throw e;
            }
        });
    }
}
