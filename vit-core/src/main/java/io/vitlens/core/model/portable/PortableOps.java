package io.vitlens.core.model.portable;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row-wise LayerNorm, exact GELU, linear layers and softmax, forward and backward, as ND4J ops only (no
 * element access from Java, no host reads): every call here is a BLAS product, a reduction, a broadcast,
 * a pairwise or a transform op that libnd4j runs on the backend's device.
 *
 * <p>Why these are composed rather than libnd4j's own ops: {@code layer_norm} standardises with no epsilon
 * inside the square root (measured: rows of variance 5e-7 come out with unit variance), while the spec's
 * LayerNorm divides by sqrt(var + 1e-6); ND4J's {@code GELU} and {@code PreciseGELU} are the sigmoid and
 * tanh approximations, while the spec's GELU is x * Phi(x), composed here from {@code erf}; and the
 * backward ops of LayerNorm and softmax measured slow (dl4j-notes.md), so their gradients are written as
 * a few forward ops.
 *
 * <p>Shapes: R rows (tokens), D width, N and K the output and input width of a linear layer.
 */
public final class PortableOps {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private PortableOps() {
    }

    /**
     * y = (x - mean) / sqrt(var + eps) * g + b per row of x [R, D] (biased variance, as PyTorch). Keeps
     * xhat [R, D] (the normalised rows) and rstd [R, 1] = 1 / sqrt(var + eps) for the backward pass.
     */
    public static void layerNormForward(INDArray x, INDArray g, INDArray b, double eps, INDArray y,
                                        INDArray xhat, INDArray rstd) {
        long r = x.size(0);
        INDArray mean = x.mean(true, 1);                                        // [R, 1]
        xhat.assign(x).subiColumnVector(mean);                                  // x - mean
        INDArray var = xhat.mul(xhat).mean(true, 1);                            // [R, 1]
        rstd.assign(Transforms.pow(var.addi(eps), -0.5, false).reshape(r, 1));
        xhat.muliColumnVector(rstd);
        y.assign(xhat).muliRowVector(g).addiRowVector(b);
    }

    /**
     * The LayerNorm backward from dy [R, D]: dx = rstd * (gy - mean(gy) - xhat * mean(gy * xhat)) with
     * gy = dy * g, written into dx (added onto it when {@code accumulate}); dg = sum_r dy * xhat and
     * db = sum_r dy overwrite the gradient views {@code dg}, {@code db}.
     */
    public static void layerNormBackward(INDArray dy, INDArray g, INDArray xhat, INDArray rstd, INDArray dx,
                                         boolean accumulate, INDArray dg, INDArray db) {
        columnSums(dy, db);
        INDArray gy = dy.mul(xhat);                                             // [R, D]
        columnSums(gy, dg);
        gy.assign(dy).muliRowVector(g);                                         // gy = dy * g
        INDArray m1 = gy.mean(true, 1);                                         // [R, 1]
        INDArray m2 = gy.mul(xhat).mean(true, 1);                               // [R, 1]
        INDArray t = gy.subiColumnVector(m1).subi(xhat.mulColumnVector(m2)).muliColumnVector(rstd);
        if (accumulate) dx.addi(t);
        else dx.assign(t);
    }

    /** out = in W^T + b for in [R, K], W [N, K] (timm layout), b [N]; out [R, N] preallocated, dense. */
    public static void linear(INDArray in, INDArray w, INDArray b, INDArray out) {
        Nd4j.gemm(in, w, out, false, true, 1.0, 0.0);
        out.addiRowVector(b);
    }

    /** dW = dOut^T in [N, K] and db = sum_r dOut [N], overwriting the gradient views. */
    public static void linearParamGrads(INDArray dOut, INDArray in, INDArray dW, INDArray db) {
        Nd4j.gemm(dOut, in, dW, true, false, 1.0, 0.0);
        columnSums(dOut, db);
    }

    /** dIn = dOut W [R, K] (+ dIn's old value when {@code accumulate}). */
    public static void linearInputGrad(INDArray dOut, INDArray w, INDArray dIn, boolean accumulate) {
        Nd4j.gemm(dOut, w, dIn, false, false, 1.0, accumulate ? 1.0 : 0.0);
    }

    /** out = sum over rows of a [R, N], written into {@code out} (any shape of N elements). */
    public static void columnSums(INDArray a, INDArray out) {
        out.assign(a.sum(0).reshape(out.shape()));
    }

    /**
     * The spec's exact GELU, act = u * Phi(u) with Phi(u) = (1 + erf(u / sqrt 2)) / 2; Phi(u) is kept in
     * {@code cdf} (same shape as u) for the backward pass.
     */
    public static void geluForward(INDArray u, INDArray cdf, INDArray act) {
        cdf.assign(u).muli(INV_SQRT2);
        Nd4j.getExecutioner().exec(new Erf(cdf, cdf));
        cdf.addi(1.0).muli(0.5);
        act.assign(u).muli(cdf);
    }

    /** In place on {@code grad}: dL/du = dL/dact * (Phi(u) + u * phi(u)), phi the standard normal density. */
    public static void geluBackward(INDArray u, INDArray cdf, INDArray grad) {
        INDArray pdf = u.mul(u).muli(-0.5);                                      // -u^2 / 2
        Transforms.exp(pdf, false).muli(INV_SQRT_2PI).muli(u).addi(cdf);        // Phi + u phi
        grad.muli(pdf);
    }

    /** Softmax over each row of a [X, Y], in place. */
    public static void softmaxRows(INDArray a) {
        Nd4j.exec(new SoftMax(a, a, 1));
    }

    /** In place on {@code grad} [X, Y] (dL/dA): dL/dS = A * (dA - sum_j dA_j A_j) per row, A = softmax(S) [X, Y]. */
    public static void softmaxBackwardRows(INDArray a, INDArray grad) {
        INDArray dot = grad.mul(a).sum(true, 1);                                // [X, 1]
        grad.subiColumnVector(dot).muli(a);
    }
}
