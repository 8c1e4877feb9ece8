package io.vitlens.training.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.DefaultTrainerContext;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.CountDownLatch;

/**
 * DL4J's parameter-averaging trainers, with each worker thread's ND4J random generator seeded from
 * (base seed, worker index) before its first batch.
 *
 * <p>Why: ND4J's RNG is per thread, and {@code ParallelWrapper} starts fresh worker threads in every
 * {@code fit} call. Left alone, worker 0 (which trains the caller's graph in place) draws dropout and
 * drop-path masks from a clock-seeded generator, and every replica from the network seed again (its
 * {@code init()} reseeds), so runs would not repeat and replicas would reuse the same masks every
 * epoch. Seeding happens in {@link SeededTrainer#postInit()}, after the replica is built, because
 * building it resets the thread's seed. Worker {@code t} always trains the {@code t}-th batch of each
 * round, so a seeded run repeats bit for bit.
 *
 * <p>It also closes a race in DL4J's {@code DefaultTrainer}: a replica copies the original graph's
 * parameters and Adam state when its thread starts, while worker 0 may already be training that graph on
 * the first batch, so a slow-starting replica could begin from parameters one step ahead (measured: two
 * identical runs ended with different weights). Here no worker trains before every replica is built.
 */
final class SeededTrainerContext extends DefaultTrainerContext {
    private final long baseSeed;
    private final int workers;
    private CountDownLatch replicasBuilt;

    SeededTrainerContext(long baseSeed, int workers) {
        this.baseSeed = baseSeed;
        this.workers = workers;
    }

    /** The RNG seed of worker {@code worker}: SplitMix64 finaliser of the pair, so nearby bases do not collide. */
    static long workerSeed(long baseSeed, int worker) {
        long z = baseSeed + 0x9E3779B97F4A7C15L * (worker + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS, ParallelWrapper wrapper,
                          WorkspaceMode mode, int averagingFrequency) {
        if (threadId == 0) replicasBuilt = new CountDownLatch(workers);   // ParallelWrapper creates 0..workers-1 per fit
        return new SeededTrainer(uuid + "_thread_" + threadId, threadId, model, useMDS, wrapper, mode, averagingFrequency,
                workerSeed(baseSeed, threadId), replicasBuilt);
    }

    /**
     * {@link DefaultTrainer} (worker 0 trains the original model, the others replicas) plus the seeding and
     * the wait for all replicas.
     */
    static final class SeededTrainer extends DefaultTrainer {
        private final long seed;
        private final CountDownLatch replicasBuilt;
        private boolean waited;

        SeededTrainer(String uuid, int threadId, Model model, boolean useMDS, ParallelWrapper wrapper, WorkspaceMode mode,
                      int averagingFrequency, long seed, CountDownLatch replicasBuilt) {
            this.uuid = uuid;
            this.threadId = threadId;
            this.originalModel = model;
            this.replicatedModel = model;
            this.useMDS = useMDS;
            this.parallelWrapper = wrapper;
            this.workspaceMode = mode;
            this.averagingFrequency = averagingFrequency;
            this.seed = seed;
            this.replicasBuilt = replicasBuilt;
            setupIfNeccessary();   // the no-argument constructor leaves the queues and flags unset
            setName("vit-lens parallel trainer " + threadId);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                replicasBuilt.countDown();   // a worker whose replica failed must not block the others
            }
        }

        /** Runs on the worker thread once its model (the original or a fresh replica) is ready. */
        @Override
        protected void postInit() {
            super.postInit();
            Nd4j.getRandom().setSeed(seed);
            replicasBuilt.countDown();
        }

        @Override
        protected void fit(DataSet dataSet) {
            awaitReplicas();
            super.fit(dataSet);
        }

        @Override
        protected void fit(MultiDataSet dataSet) {
            awaitReplicas();
            super.fit(dataSet);
        }

        private void awaitReplicas() {
            if (waited) return;
            try {
                replicasBuilt.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the other workers' replicas", e);
            }
            waited = true;
        }
    }
}
