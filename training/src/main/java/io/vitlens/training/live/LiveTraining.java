package io.vitlens.training.live;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ExperimentConfig;

import java.io.IOException;
import java.io.PrintStream;

/**
 * A training run with two live views up while it lasts ({@code vit train --ui}): DL4J's training UI
 * ({@link Dl4jTrainingUi}, on {@code port}) and the run's own page ({@link LiveServer}, on {@code port + 1}).
 */
public final class LiveTraining {

    private LiveTraining() { }

    /**
     * @param progress the usual observer (progress bar), still called
     * @param port     DL4J's UI's port on localhost, the run's page on the next one; 0 = any free ones
     */
    public static EpochMetrics run(ExperimentConfig cfg, RunDirectory run, boolean resume, Trainer.Observer progress,
                                   int port, PrintStream out) throws IOException, InterruptedException {
        LiveStatus status = new LiveStatus(run.root().getFileName().toString());
        try (Dl4jTrainingUi dl4j = Dl4jTrainingUi.start(port);
             LiveServer server = LiveServer.start(status, port == 0 ? 0 : port + 1)) {
            out.println("training UI (DL4J): " + dl4j.url());
            out.println("live view: " + server.url() + " (updates while training; closes when the run ends)");
            LiveObserver observer = new LiveObserver(progress, status, run);
            try {
                return new Trainer(cfg, run, observer).withListener(dl4j.listener()).run(resume);
            } catch (RuntimeException | IOException e) {
                status.finished("stopped: " + e.getMessage());
                throw e;
            } finally {
                observer.close();
            }
        }
    }
}
