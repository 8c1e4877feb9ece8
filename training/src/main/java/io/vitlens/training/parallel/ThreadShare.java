package io.vitlens.training.parallel;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Divides ND4J's CPU threads among data-parallel workers for the length of an epoch, then restores them.
 *
 * <p>Why: on the CPU backend every worker's ops and matrix products would each start ND4J's full OpenMP and
 * OpenBLAS thread count, so {@code workers} workers run {@code workers} times as many compute threads as there
 * are cores. Measured on 2 shared cores (quickstart ViT, batch 128): 2 workers with 2 threads each used
 * 4.7-5.7 CPU-ms per image, with 1 thread each 3.4-3.9, against 2.4-3.2 for one worker. The setting is
 * process-wide, so it is restored before the caller evaluates or checkpoints. On a GPU backend the device does
 * the work and nothing is changed.
 *
 * <p>What is divided: ND4J's "master" thread count (its parallel loops) and the BLAS thread count.
 * {@code Environment.setMaxThreads} is left alone: in 1.0.0-M2.1 it has no effect (measured: set to 1,
 * {@code maxThreads()} still answers 2).
 */
final class ThreadShare implements AutoCloseable {
    private static final ThreadShare NONE = new ThreadShare(null, null, 0, 0);

    private final Environment env;   // null: nothing was changed
    private final Blas blas;
    private final int master;
    private final int blasThreads;

    private ThreadShare(Environment env, Blas blas, int master, int blasThreads) {
        this.env = env;
        this.blas = blas;
        this.master = master;
        this.blasThreads = blasThreads;
    }

    /** Shares the threads among {@code workers}; changes nothing for one worker or a non-CPU backend. */
    static ThreadShare among(int workers) {
        Environment env = Nd4j.getEnvironment();
        if (workers <= 1 || !env.isCPU()) return NONE;
        Blas blas = Nd4j.factory().blas();
        ThreadShare saved = new ThreadShare(env, blas, env.maxMasterThreads(), blas.getMaxThreads());
        env.setMaxMasterThreads(Math.max(1, saved.master / workers));
        blas.setMaxThreads(Math.max(1, saved.blasThreads / workers));
        return saved;
    }

    @Override
    public void close() {
        if (env == null) return;
        env.setMaxMasterThreads(master);
        blas.setMaxThreads(blasThreads);
    }
}
