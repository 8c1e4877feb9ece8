package io.vitlens.training.live;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * DL4J's own training UI for a run ({@code vit train --ui}): its Vert.x {@code UIServer} on localhost, fed by a
 * {@link StatsListener} through an in-memory store (score, update / parameter ratios, activations, memory).
 * It shows what DL4J knows about any network; the run's {@link LiveServer} page beside it shows what is
 * particular to this product (test accuracy, learning rate, C1 rho per checkpoint).
 */
final class Dl4jTrainingUi implements AutoCloseable {
    /** Statistics every this many steps: the listener's cost stays well under 1% of a step (~0.5 s for tiny). */
    static final int REPORT_EVERY = 10;

    private final VertxUIServer server;
    private final StatsStorage storage;
    private final StatsListener listener;

    private Dl4jTrainingUi(VertxUIServer server, StatsStorage storage) {
        this.server = server;
        this.storage = storage;
        this.listener = new StatsListener(storage, REPORT_EVERY);
    }

    /** Starts the UI on {@code port} of localhost (0 = a free one). */
    static Dl4jTrainingUi start(int port) throws IOException {
        int p = port == 0 ? freePort() : port;
        VertxUIServer server;
        try {
            server = VertxUIServer.getInstance(p, false, null);
        } catch (RuntimeException e) {
            throw new IOException("--ui: cannot start DL4J's training UI on port " + p + ": " + e.getMessage()
                    + " (choose another with --ui-port)", e);
        }
        StatsStorage storage = new InMemoryStatsStorage();
        server.attach(storage);
        return new Dl4jTrainingUi(server, storage);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    TrainingListener listener() {
        return listener;
    }

    int port() {
        return server.getPort();
    }

    String url() {
        return "http://localhost:" + port() + "/train/overview";
    }

    @Override
    public void close() {
        try {
            server.detach(storage);
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            throw new IllegalStateException("--ui: stopping DL4J's training UI failed: " + e.getMessage(), e);
        }
    }
}
