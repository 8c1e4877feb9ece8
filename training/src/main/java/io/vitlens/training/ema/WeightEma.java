package io.vitlens.training.ema;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of a model's flat parameter vector, timm's {@code ModelEmaV2} with a warm-up
 * of the decay: after the k-th optimiser step
 * <pre>  ema_k = d_k * ema_{k-1} + (1 - d_k) * w_k,   d_k = min(decay, k / (k + 1)),   ema_0 = w_0.</pre>
 * Why the warm-up: without it the initial weights keep weight decay^k, e^-1 = 37% after 1/(1-decay) steps
 * (5000 at 0.9998, 13 epochs of CIFAR-10 at batch 128). With it the average is the plain mean of all
 * weights so far until that mean's window, k + 1, reaches the configured one, 1/(1 - decay); from step
 * 1/(1 - decay) - 1 on it is the usual EMA. The update runs in float32 in place (ND4J elementwise ops, so the
 * same inputs give the same bits), as timm's does in the model's dtype.
 */
public final class WeightEma {
    private final double decay;
    private final INDArray average;
    private long updates;

    private WeightEma(double decay, INDArray average, long updates) {
        if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("decay: " + decay + " must be in (0, 1)");
        if (updates < 0) throw new IllegalArgumentException("updates: " + updates + " must be >= 0");
        this.decay = decay;
        this.average = average;
        this.updates = updates;
    }

    /** An average that starts at {@code params} (copied), as at step 0. */
    public static WeightEma startingAt(INDArray params, double decay) {
        return new WeightEma(decay, Nd4j.createFromArray(params.toFloatVector()), 0);   // 1-D, detached
    }

    /** An average restored from a checkpoint: its values after {@code updates} steps. */
    public static WeightEma restored(float[] values, long updates, double decay) {
        return new WeightEma(decay, Nd4j.createFromArray(values.clone()), updates);
    }

    /** The decay used by update number {@code k} (1-based): min(decay, k / (k + 1)). */
    public static double decayAt(double decay, long k) {
        return Math.min(decay, k / (k + 1.0));
    }

    /** Folds in the weights after one more optimiser step. */
    public void update(INDArray params) {
        if (params.length() != average.length())
            throw new IllegalArgumentException("params: " + params.length() + " values, the average has " + average.length());
        updates++;
        double d = decayAt(decay, updates);
        // d * ema + (1 - d) * w = d * (ema - w) + w: in place, no temporary array
        INDArray w = params.reshape(average.shape());
        average.subi(w).muli(d).addi(w);
    }

    /** The averaged parameters, in the model's flat parameter order (a live view: copy before keeping it). */
    public INDArray params() {
        return average;
    }

    /** Optimiser steps folded in so far (the warm-up's k). */
    public long updates() {
        return updates;
    }

    public double decay() {
        return decay;
    }
}
