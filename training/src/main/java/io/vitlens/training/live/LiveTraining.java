package io.vitlens.training.live;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ExperimentConfig;

import java.io.IOException;
import java.io.PrintStream;

/** A training run with the live page up while it lasts ({@code vit train --ui}). */
public final class LiveTraining {

    private LiveTraining() { }

    /**
     * @param progress the usual observer (progress bar), still called
     * @param port     port on localhost; 0 = any free one
     */
    public static EpochMetrics run(ExperimentConfig cfg, RunDirectory run, boolean resume, Trainer.Observer progress,
                                   int port, PrintStream out) throws IOException, InterruptedException {
        LiveStatus status = new LiveStatus(run.root().getFileName().toString());
        try (LiveServer server = LiveServer.start(status, port)) {
            out.println("live view: " + server.url() + " (updates while training; closes when the run ends)");
            LiveObserver observer = new LiveObserver(progress, status, run);
            try {
                return new Trainer(cfg, run, observer).run(resume);
            } catch (RuntimeException | IOException e) {
                status.finished("stopped: " + e.getMessage());
                throw e;
            } finally {
                observer.close();
            }
        }
    }
}
