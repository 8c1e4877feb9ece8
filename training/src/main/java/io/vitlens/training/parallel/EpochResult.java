package io.vitlens.training.parallel;

/**
 * What one call of {@link ParallelFit#fitEpoch} did.
 *
 * @param batches  mini-batches trained (over all workers)
 * @param steps    optimiser steps of the returned graph: one per round of {@code workers} batches,
 *                 {@code ceil(batches / workers)}; the graph's iteration count (and so its learning-rate
 *                 schedule) advanced by this much
 * @param images   images trained
 * @param meanLoss mean training cross-entropy per image (batch losses weighted by batch size), weight decay
 *                 excluded; NaN if no batch was trained
 * @param seconds  wall time of the epoch, data loading and parameter averaging included
 */
public record EpochResult(int batches, int steps, long images, double meanLoss, double seconds) {

    /** Training throughput over the whole call. */
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0.0;
    }
}
