package io.vitlens.training.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clipping of the global gradient norm ({@code train.grad-clip}; 0 = off), as PyTorch's
 * {@code clip_grad_norm_}: when the L2 norm of all gradients together exceeds {@code maxNorm}, every gradient is
 * scaled by {@code maxNorm / (norm + 1e-6)}, so the updater sees a gradient of norm just under {@code maxNorm}
 * with its direction kept. The norm is that of the batch-mean loss (see
 * {@link io.vitlens.training.listeners.GradientMonitor}, which measures it and calls this between backprop and
 * the updater).
 *
 * @param maxNorm the largest global norm let through; 0 turns clipping off
 */
public record GradientClipping(double maxNorm) {
    /** No clipping. */
    public static final GradientClipping OFF = new GradientClipping(0);
    /** PyTorch's guard against dividing by a zero norm, kept so that clipped runs match it (and earlier runs). */
    private static final double EPS = 1e-6;

    public GradientClipping {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm))
            throw new IllegalArgumentException("train.grad-clip: " + maxNorm + " must be a finite number >= 0 (0 = off)");
    }

    /** Whether a gradient of global norm {@code norm} is scaled down. */
    public boolean clips(double norm) { return maxNorm > 0 && norm > maxNorm; }

    /** The factor a gradient of global norm {@code norm} is multiplied by (1 when it is not clipped). */
    public double scale(double norm) { return clips(norm) ? maxNorm / (norm + EPS) : 1.0; }

    /** Scales the flattened gradient {@code flat} of global norm {@code norm} in place, if it is clipped. */
    public void apply(INDArray flat, double norm) {
        if (clips(norm)) flat.muli(maxNorm / (norm + EPS));
    }
}
