package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise and row-wise parts of the transformer as fused loops (dl4j-notes.md: ND4J's backward
 * kernels for these run 3-20x slower than a plain loop on this machine).
 *
 * <p>Two implementations compute the same functions: {@link PlainKernels}, a straightforward double
 * precision version over heap copies that serves DOUBLE models (gradient checks) and as the reference,
 * and {@link FastFloatKernels}, which works in place on the native float memory of FLOAT models. Every
 * array argument must be dense (see {@link Buffers#requireDense}); an array of rank above 2 is read as
 * [rows, last axis]. Row statistics ({@code mean}, {@code rstd}) are heap arrays of length rows.
 */
public interface Kernels {

    /** The implementation for arrays of type {@code t}: fast for FLOAT, plain for DOUBLE. */
    static Kernels forType(DataType t) {
        return switch (t) {
            case FLOAT -> FastFloatKernels.INSTANCE;
            case DOUBLE -> PlainKernels.INSTANCE;
            default -> throw new IllegalArgumentException("unsupported data type " + t + "; expected FLOAT or DOUBLE");
        };
    }

    /**
     * LayerNorm over the last axis: y = (x - mean) * rstd * gamma + beta with rstd = 1 / sqrt(var + eps),
     * var the biased variance. x, y: [R, D]; gamma, beta: [D]; writes mean[r], rstd[r].
     */
    void layerNormForward(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray y,
                          double[] mean, double[] rstd);

    /**
     * LayerNorm backward from the forward's statistics. With xhat = (x - mean) * rstd and g = dy * gamma:
     * dx = rstd * (g - mean_row(g) - xhat * mean_row(g * xhat)), written into {@code dx} (or added to it if
     * {@code accumulate}); dGamma = sum_rows dy * xhat and dBeta = sum_rows dy are overwritten.
     */
    void layerNormBackward(INDArray x, INDArray gamma, double[] mean, double[] rstd, INDArray dy,
                           INDArray dx, boolean accumulate, INDArray dGamma, INDArray dBeta);

    /** In place, every row (last axis) of {@code s}: s = exp(s - max) / sum exp(s - max). */
    void softmaxRows(INDArray s);

    /**
     * Softmax backward in place: with a = softmax output and da its gradient, per row
     * da = a * (da - sum_j da_j a_j).
     */
    void softmaxBackwardRows(INDArray a, INDArray da);

    /**
     * Exact GELU out = u * Phi(u), Phi the standard normal CDF (erf form). If {@code derivative} is not
     * null it receives GELU'(u) = Phi(u) + u * phi(u), phi the normal density, for the backward pass.
     */
    void gelu(INDArray u, INDArray out, INDArray derivative);

    /**
     * out[r, c] = x[r, c] + bias[c], or just bias[c] when {@code x} is null; out, x: [R, C], bias [C]. Fills
     * the output of a linear layer before a BLAS product that adds onto it (beta = 1), so that the bias,
     * and the residual where there is one, cost no pass of their own.
     */
    void rowsPlusVector(INDArray x, INDArray bias, INDArray out);

    /** out[c] = sum_r x[r, c], overwriting out [C]; x: [R, C] (bias gradients). */
    void columnSums(INDArray x, INDArray out);
}
