package io.vitlens.training.live;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Feeds {@link LiveStatus} from the trainer's callbacks (then passes each on to the usual observer,
 * the progress bar) and measures C1 on every checkpoint the run directory gains. The measurement runs on
 * one background thread at minimum priority and starts at each epoch's start, when the previous
 * epoch's checkpoint is complete on disk (checkpoints are renamed into place), so the training loop
 * itself never waits for it.
 */
public final class LiveObserver implements Trainer.Observer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveObserver.class);

    private final Trainer.Observer delegate;
    private final LiveStatus status;
    private final RunDirectory run;
    private final Set<Integer> measured = new HashSet<>(); // touched by the worker thread only
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "live-c1");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    public LiveObserver(Trainer.Observer delegate, LiveStatus status, RunDirectory run) {
        this.delegate = delegate == null ? new Trainer.Observer() { } : delegate;
        this.status = status;
        this.run = run;
    }

    @Override public void epochStart(int epoch, int epochs, long images) {
        status.epochStart(epoch, epochs, images);
        worker.submit(this::measureNewCheckpoints);
        delegate.epochStart(epoch, epochs, images);
    }

    @Override public void batchDone(int epoch, long imagesDone, double loss, double lr) {
        status.batch(imagesDone, loss, lr);
        delegate.batchDone(epoch, imagesDone, loss, lr);
    }

    @Override public void epochEnd(EpochMetrics m) {
        status.epochEnd(m);
        delegate.epochEnd(m);
    }

    /** Measures the last checkpoint(s) too, then stops the worker. */
    @Override public void close() throws InterruptedException {
        worker.submit(this::measureNewCheckpoints);
        worker.shutdown();
        if (!worker.awaitTermination(120, TimeUnit.SECONDS)) worker.shutdownNow();
        status.finished("finished");
    }

    private void measureNewCheckpoints() {
        try {
            for (int e : run.checkpointEpochs()) {
                if (!measured.add(e)) continue;
                String name = String.format("epoch-%03d", e);
                LiveStatus.PositionRho r = CheckpointRho.measure(run.checkpoint(e), name, e);
                if (r == null) status.rhoNote("the model has no position embedding, so C1 is not measured");
                else status.rho(r);
            }
        } catch (Exception | LinkageError e) { // the live view must never stop a training run
            log.warn("live view: could not measure C1 on a checkpoint: {}", e.toString());
            status.rhoNote("C1 could not be measured: " + e.getMessage());
        }
    }
}
