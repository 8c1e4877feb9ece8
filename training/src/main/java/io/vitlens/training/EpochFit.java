package io.vitlens.training;

import io.vitlens.training.ema.WeightEma;
import io.vitlens.training.listeners.GradientMonitor;
import io.vitlens.training.parallel.BatchObserver;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.Map;

/**
 * Trains one epoch of a run's graph: the one step in which the engines differ (this thread, ParallelWrapper
 * workers, Spark executors). Everything around it is {@link Trainer}'s and the same for all of them: run
 * directory, schedule planning and its re-plan on resume, checkpoints, evaluation, metrics lines, the
 * non-finite check on the epoch's loss and the kernel-choice record.
 */
public interface EpochFit {

    /**
     * Optimiser steps an epoch of {@code batches} mini-batches advances the graph's iteration count by; the
     * learning-rate schedule is planned (and re-planned on resume) with it.
     */
    int stepsPerEpoch(int batches);

    /**
     * Whether a weight average ({@code train.ema-decay > 0}) can follow every optimiser step: only where the
     * steps happen on the driver's own graph.
     */
    default boolean supportsEma() {
        return false;
    }

    /** Trains one epoch in place on {@code in.graph()}. */
    Result fit(Input in);

    /**
     * One epoch's work.
     *
     * @param graph          trained in place; it is the graph the trainer evaluates and checkpoints
     * @param batches        this epoch's batches (seeded shuffle and augmentation), consumed once
     * @param epoch          1-based epoch being trained
     * @param step           the run's optimiser step at the epoch start
     * @param maxBatches     stop after this many batches; 0 = all
     * @param labelSmoothing {@code train.label-smoothing}, to apply to every batch's labels
     * @param grads          the graph's gradient monitor (norms, NaN check, clipping); an engine whose steps run
     *                       elsewhere measures with its own and reports the numbers in its {@link Result}
     * @param ema            the weight average to update after every step; null = none
     * @param observer       told about finished batches (progress); may be called once per epoch only
     */
    record Input(ComputationGraph graph, DataSetIterator batches, int epoch, long step, int maxBatches,
                 double labelSmoothing, GradientMonitor grads, WeightEma ema, BatchObserver observer) {}

    /**
     * What one epoch did.
     *
     * @param steps      optimiser steps taken (the graph's iteration count advanced by this much)
     * @param images     images trained
     * @param meanLoss   mean training cross-entropy per image, weight decay excluded
     * @param seconds    wall time of the epoch's training
     * @param globalNorm mean global gradient norm (before clipping)
     * @param groupNorms mean gradient norm per parameter group (before clipping)
     */
    record Result(int steps, long images, double meanLoss, double seconds, double globalNorm,
                  Map<String, Double> groupNorms) {

        public double imagesPerSecond() {
            return seconds > 0 ? images / seconds : 0.0;
        }
    }
}
