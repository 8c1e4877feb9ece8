package io.vitlens.training;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One line of {@code metrics.jsonl}.
 *
 * @param epoch            epochs completed
 * @param step             optimiser steps completed
 * @param trainLoss        mean training cross-entropy (against the smoothed labels, weight decay excluded)
 * @param testLoss         mean test cross-entropy (hard labels)
 * @param testAccuracy     top-1 test accuracy
 * @param lr               learning rate of the epoch's last step
 * @param imagesPerSecond  training throughput (forward + backward + update), data loading included
 * @param epochSeconds     wall time of the training part of the epoch
 * @param gradNormGlobal   mean global gradient L2 norm before clipping
 * @param gradNorms        mean gradient L2 norm per parameter group before clipping (claim C12)
 * @param perClassAccuracy test accuracy per class
 * @param confusion        test confusion matrix [true][predicted]
 * @param kernels          the implementation each product family ran on in this epoch, {@code family@shape ->
 *                         vector | openblas} (chosen by measurement, {@code KernelChooser})
 * @param engine           the engine the model's layers ran on, {@code fast} | {@code portable} ({@code -Dvitlens.engine})
 * @param emaTestLoss      test cross-entropy of the weight average ({@code train.ema-decay}); null (and not
 *                         written) when it is off
 * @param emaTestAccuracy  top-1 test accuracy of the weight average; null (and not written) when it is off
 */
public record EpochMetrics(int epoch, long step, double trainLoss, double testLoss, double testAccuracy, double lr,
                           double imagesPerSecond, double epochSeconds, double gradNormGlobal,
                           Map<String, Double> gradNorms, double[] perClassAccuracy, int[][] confusion,
                           Map<String, String> kernels, String engine,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double emaTestLoss,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double emaTestAccuracy) {

    /** Without the weight average's evaluation. */
    public EpochMetrics(int epoch, long step, double trainLoss, double testLoss, double testAccuracy, double lr,
                        double imagesPerSecond, double epochSeconds, double gradNormGlobal,
                        Map<String, Double> gradNorms, double[] perClassAccuracy, int[][] confusion,
                        Map<String, String> kernels, String engine) {
        this(epoch, step, trainLoss, testLoss, testAccuracy, lr, imagesPerSecond, epochSeconds, gradNormGlobal, gradNorms,
                perClassAccuracy, confusion, kernels, engine, null, null);
    }

    /** Without the engine: the one {@code -Dvitlens.engine} chooses in this JVM (what every layer built here runs on). */
    public EpochMetrics(int epoch, long step, double trainLoss, double testLoss, double testAccuracy, double lr,
                        double imagesPerSecond, double epochSeconds, double gradNormGlobal,
                        Map<String, Double> gradNorms, double[] perClassAccuracy, int[][] confusion,
                        Map<String, String> kernels) {
        this(epoch, step, trainLoss, testLoss, testAccuracy, lr, imagesPerSecond, epochSeconds, gradNormGlobal, gradNorms,
                perClassAccuracy, confusion, kernels, io.vitlens.core.model.layers.Engine.fromSystemProperty().id());
    }

    /** These metrics with the weight average's test result added. */
    public EpochMetrics withEma(EvalResult ema) {
        return new EpochMetrics(epoch, step, trainLoss, testLoss, testAccuracy, lr, imagesPerSecond, epochSeconds,
                gradNormGlobal, gradNorms, perClassAccuracy, confusion, kernels, engine, ema.loss(), ema.accuracy());
    }
}
