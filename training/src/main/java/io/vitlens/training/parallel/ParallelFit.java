package io.vitlens.training.parallel;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Trains one epoch of a {@link ComputationGraph} with several data-parallel workers on one machine, through
 * DL4J's {@link ParallelWrapper}.
 *
 * <p><b>Mode: synchronous parameter averaging</b> ({@code TrainingMode.AVERAGING}, averaging frequency 1,
 * updater state averaged too). Each round hands batch {@code t} of {@code workers} consecutive batches to
 * worker {@code t}; every worker takes one optimiser step from the same parameters and the same Adam
 * state, then parameters and Adam moments are averaged and copied back to all workers. With SGD that is
 * exactly one step on the union of the batches (the mean of the per-batch gradients); with Adam the first
 * moment is exact and the second is the mean of the squared per-worker gradients instead of the square of
 * their mean; the states are re-averaged every step, so the replicas never drift apart.
 * The alternative, {@code SHARED_GRADIENTS}, exchanges threshold-encoded (lossy, sparse) updates
 * asynchronously and keeps per-worker Adam states apart; its saving is bandwidth between devices, which
 * one machine's shared memory does not need, and its results depend on thread timing. Averaging is one
 * pass over the weights and the two Adam moments per step, small against the step itself.
 *
 * <p><b>What the caller sees.</b> The graph passed in is trained in place (it is worker 0's model), stays a
 * plain {@code ComputationGraph} and saves with {@code ModelSerializer} as usual. One step is one round, so
 * an epoch of {@code n} batches advances the graph's iteration count, and its learning-rate schedule, by
 * {@code ceil(n / workers)} ({@link #stepsPerEpoch}): build the schedule with that many steps per epoch.
 * The effective batch is {@code workers * batchSize}; the learning rate is not rescaled here.
 *
 * <p><b>Listeners.</b> The graph's own listeners (gradient monitor and clipping) run on every worker for
 * that worker's batch, serialised by one lock ({@link SerializedListener}), and are the graph's listeners
 * again when the call returns. Gradient clipping therefore acts per worker batch, before averaging.
 *
 * <p><b>Workspaces and prefetching.</b> Workers run in the graph's own training workspace mode
 * (ParallelWrapper's builder would otherwise impose {@code ENABLED} on the original graph). vit-lens's
 * dataset iterators build batches ahead on their own thread and report {@code asyncSupported() == false},
 * so ParallelWrapper does not add a second prefetcher; any other iterator gets DL4J's prefetcher with
 * {@code 2 * workers} batches, one round ahead of the round being trained.
 *
 * <p><b>Randomness.</b> Worker {@code t}'s ND4J RNG (dropout, drop path) is seeded from the network seed,
 * the graph's iteration count when the epoch starts and {@code t} ({@link SeededTrainerContext}), so a run
 * repeats bit for bit, and a resumed run (whose checkpoint restores the iteration count) draws the same seeds. With {@code workers == 1} the epoch runs on the calling
 * thread, seeded the same way as worker 0, without ParallelWrapper (which needs at least two workers).
 *
 * <p><b>Devices.</b> ND4J assigns worker {@code t} to device {@code t mod devices}: with the CUDA backend use
 * one worker per GPU (or a multiple of the GPU count). On the CPU backend the workers share the cores that
 * ND4J's OpenMP/BLAS threads would otherwise use for one model, so ND4J's thread counts are divided by
 * {@code workers} for the epoch ({@link ThreadShare}); even so, on a CPU one worker that uses all cores for
 * its matrix products is usually faster than several (docs/scaling.md has the measurements).
 */
public final class ParallelFit {

    private ParallelFit() {
    }

    /** Optimiser steps one epoch of {@code batches} batches takes with {@code workers} workers. */
    public static int stepsPerEpoch(int batches, int workers) {
        if (batches < 0) throw new IllegalArgumentException("batches: " + batches + " must be >= 0");
        requireWorkers(workers);
        return (batches + workers - 1) / workers;
    }

    /**
     * Trains one epoch: every batch {@code epochIterator} has left. See the class comment.
     *
     * @param labelPre applied to every batch before training (e.g. label smoothing); null = none
     */
    public static EpochResult fitEpoch(ComputationGraph graph, DataSetIterator epochIterator, int workers,
                                       DataSetPreProcessor labelPre) {
        return fitEpoch(graph, epochIterator, workers, labelPre, 0, null);
    }

    /**
     * Trains one epoch.
     *
     * @param graph         trained in place; must be initialised
     * @param epochIterator this epoch's batches, consumed once (not reset)
     * @param workers       data-parallel workers, >= 1
     * @param labelPre      applied to every batch before training (e.g. label smoothing); null = none
     * @param maxBatches    stop after this many batches; 0 = the whole iterator
     * @param observer      told about every finished batch; null = nobody
     * @throws io.vitlens.training.NonFiniteException if a batch's loss (or a listener's gradient check) is NaN/Inf
     */
    public static EpochResult fitEpoch(ComputationGraph graph, DataSetIterator epochIterator, int workers,
                                       DataSetPreProcessor labelPre, int maxBatches, BatchObserver observer) {
        if (graph == null) throw new IllegalArgumentException("graph: missing");
        if (epochIterator == null) throw new IllegalArgumentException("epochIterator: missing");
        requireWorkers(workers);
        if (maxBatches < 0) throw new IllegalArgumentException("maxBatches: " + maxBatches + " must be >= 0 (0 = all)");
        if (graph.getConfiguration() == null || graph.params() == null)
            throw new IllegalArgumentException("graph: not initialised; call init() first");

        long baseSeed = graph.getConfiguration().getDefaultConfiguration().getSeed() * 1_000_003L
                + graph.getConfiguration().getIterationCount();
        int iterationBefore = graph.getConfiguration().getIterationCount();
        Collection<TrainingListener> own = new ArrayList<>(graph.getListeners());
        Object lock = new Object();
        LossRecorder recorder = new LossRecorder(observer);
        List<TrainingListener> serialized = new ArrayList<>();
        for (TrainingListener l : own) serialized.add(new SerializedListener(l, lock));
        serialized.add(new SerializedListener(recorder, lock));
        EpochBatches batches = new EpochBatches(epochIterator, labelPre, maxBatches);

        long t0 = System.nanoTime();
        try (ThreadShare ignored = ThreadShare.among(workers)) {
            if (workers == 1) fitOnThisThread(graph, batches, serialized, SeededTrainerContext.workerSeed(baseSeed, 0));
            else fitWithWrapper(graph, batches, workers, serialized, baseSeed);
        } finally {
            graph.setListeners(own);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochResult(recorder.batches(), graph.getConfiguration().getIterationCount() - iterationBefore,
                recorder.images(), recorder.meanLoss(), seconds);
    }

    private static void fitOnThisThread(ComputationGraph graph, EpochBatches batches, List<TrainingListener> listeners,
                                        long seed) {
        graph.setListeners(listeners);
        Nd4j.getRandom().setSeed(seed);
        while (batches.hasNext()) graph.fit(batches.next());
    }

    private static void fitWithWrapper(ComputationGraph graph, EpochBatches batches, int workers,
                                       List<TrainingListener> listeners, long baseSeed) {
        WorkspaceMode mode = graph.getConfiguration().getTrainingWorkspaceMode();
        graph.setListeners(List.of());   // the builder would move them into the wrapper unserialised
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(graph)
                .workers(workers)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .averagingFrequency(1)
                .averageUpdaters(true)
                .workspaceMode(mode)
                .prefetchBuffer(2 * workers)
                .build();
        wrapper.setTrainerContext(new SeededTrainerContext(baseSeed, workers));
        wrapper.setListeners(listeners);
        try {
            wrapper.fit(batches);
        } catch (RuntimeException e) {
            throw unwrap(e);
        } finally {
            wrapper.shutdown();   // after a failure fit() leaves the worker threads running
        }
    }

    /**
     * ParallelWrapper reports a worker's exception wrapped twice in plain {@code RuntimeException}s; the
     * caller should see the original (a {@code NonFiniteException}, a shape error naming the layer).
     */
    static RuntimeException unwrap(RuntimeException e) {
        Throwable t = e;
        while (t.getClass() == RuntimeException.class && t.getCause() != null) t = t.getCause();
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error err) throw err;
        return new IllegalStateException("parallel training failed: " + t, t);
    }

    private static void requireWorkers(int workers) {
        if (workers < 1) throw new IllegalArgumentException("workers: " + workers + " must be >= 1");
    }
}
