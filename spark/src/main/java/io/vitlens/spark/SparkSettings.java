package io.vitlens.spark;

/**
 * How {@link SparkTrainer} spreads training over a Spark cluster: synchronous parameter averaging
 * (DL4J's {@code ParameterAveragingTrainingMaster}).
 *
 * @param master             Spark master URL ({@code local[2]}, {@code yarn}, {@code spark://host:7077}); null =
 *                           the one {@code spark-submit} configured
 * @param workers            data-parallel workers, one model replica each; 0 = Spark's default parallelism
 *                           (the total executor cores). Each worker takes its own mini-batches of the config's
 *                           {@code data.batch-size}, so the effective batch is {@code workers * batch-size}
 * @param averagingFrequency mini-batches every worker trains between two parameter averagings. 1 is the closest
 *                           to single-machine training (one averaged step per round, as {@code ParallelFit}) but
 *                           pays one Spark job per round; larger values trade staleness for less overhead
 */
public record SparkSettings(String master, int workers, int averagingFrequency) {

    public SparkSettings {
        if (master != null && master.isBlank())
            throw new IllegalArgumentException("spark.master: blank; give a master URL such as local[2] or yarn, or null");
        if (workers < 0) throw new IllegalArgumentException("spark.workers: " + workers + " must be >= 0 (0 = Spark's default parallelism)");
        if (averagingFrequency < 1)
            throw new IllegalArgumentException("spark.averagingFrequency: " + averagingFrequency + " must be >= 1");
    }

    /** Averaging after every round, as many workers as Spark has cores. */
    public static SparkSettings of(String master) {
        return new SparkSettings(master, 0, 1);
    }

    /**
     * Optimiser steps one epoch of {@code batches} mini-batches counts with {@code workers} workers: DL4J cuts the
     * epoch into {@code floor(batches / (workers * f))} rounds (at least one) and advances the iteration count, and
     * so the learning-rate schedule, by {@code f} per round.
     */
    public static int stepsPerEpoch(int batches, int workers, int averagingFrequency) {
        if (batches < 0 || workers < 1 || averagingFrequency < 1)
            throw new IllegalArgumentException("stepsPerEpoch(" + batches + ", " + workers + ", " + averagingFrequency
                    + "): expected batches >= 0, workers >= 1, averagingFrequency >= 1");
        if (batches == 0) return 0;
        int perRound = workers * averagingFrequency;
        return Math.max(1, batches / perRound) * averagingFrequency;
    }
}
