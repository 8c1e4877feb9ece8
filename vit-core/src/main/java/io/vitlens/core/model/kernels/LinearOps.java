package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * The three products of a linear layer y = x W^T + b over token rows (x [R, K], W [N, K] in timm's layout,
 * y [R, N]), with the bias (and a residual) folded in. Two implementations: OpenBLAS calls
 * ({@link #BLAS}) and Vector API loops over row blocks ({@link SimdLinear}), chosen by {@link #forType}.
 */
public interface LinearOps {

    /** out = in W^T + bias (+ residual, if not null). */
    void forward(INDArray in, INDArray w, INDArray bias, INDArray residual, INDArray out, Kernels kernels);

    /**
     * act = GELU(in W^T + bias) and, if {@code derivative} is not null, derivative = GELU'(in W^T + bias):
     * the MLP's first layer, whose pre-activation nothing else reads.
     */
    void forwardGelu(INDArray in, INDArray w, INDArray bias, INDArray act, INDArray derivative, Kernels kernels);

    /** dX = dY W, or dX += dY W if {@code accumulate}; dY [R, N], dX [R, K]. */
    void inputGrad(INDArray dy, INDArray w, INDArray dx, boolean accumulate);

    /** dW = dY^T X [N, K] and dBias = column sums of dY [N], both overwritten. */
    void weightGrad(INDArray dy, INDArray x, INDArray dw, INDArray dBias, Kernels kernels);

    /** OpenBLAS for the products, {@link Kernels} for the bias fill and column sums. */
    LinearOps BLAS = new LinearOps() {
        @Override
        public void forward(INDArray in, INDArray w, INDArray bias, INDArray residual, INDArray out, Kernels kernels) {
            kernels.rowsPlusVector(residual, bias, out);   // then the product adds onto it (beta = 1)
            Blas.matmul(in, false, w, true, out, 1.0, 1.0);
        }

        @Override
        public void forwardGelu(INDArray in, INDArray w, INDArray bias, INDArray act, INDArray derivative,
                                Kernels kernels) {
            forward(in, w, bias, null, act, kernels);
            kernels.gelu(act, act, derivative);
        }

        @Override
        public void inputGrad(INDArray dy, INDArray w, INDArray dx, boolean accumulate) {
            Blas.matmul(dy, false, w, false, dx, 1.0, accumulate ? 1.0 : 0.0);
        }

        @Override
        public void weightGrad(INDArray dy, INDArray x, INDArray dw, INDArray dBias, Kernels kernels) {
            Blas.matmul(dy, true, x, false, dw, 1.0, 0.0);
            kernels.columnSums(dy, dBias);
        }
    };

    /** System property choosing the implementation: {@code auto} (default), {@code vector} or {@code openblas}. */
    String PROPERTY = "vitlens.linear";

    /**
     * The implementation for a layer of type {@code t} with N outputs and K inputs. {@code auto} takes the
     * vector loops only where they measured faster (docs/performance.md): FLOAT with 512-bit vectors while
     * OpenBLAS is held to a core without AVX-512 by OPENBLAS_CORETYPE (as on machines where its AVX-512
     * kernels are not trusted); with OpenBLAS's own AVX-512 kernels, or when it picks its core itself,
     * OpenBLAS. The choice depends only on the environment, so a resumed run computes what the first did.
     */
    static LinearOps forType(DataType t, Kernels kernels, int n, int k) {
        boolean vectorOk = t == DataType.FLOAT && kernels instanceof FastFloatKernels f && f.vectorized()
                && n % SimdRows.lanes() == 0 && k % SimdRows.lanes() == 0;
        if (!vectorOk) return BLAS;
        return switch (System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT)) {
            case "vector" -> SimdLinear.INSTANCE;
            case "openblas" -> BLAS;
            default -> SimdRows.bits() >= 512 && openBlasHeldBelowAvx512() ? SimdLinear.INSTANCE : BLAS;
        };
    }

    /** What {@link #forType} picks for a FLOAT model with vector-aligned shapes, for benchmark reports. */
    static String describe() {
        LinearOps o = forType(DataType.FLOAT, FastFloatKernels.INSTANCE, 128, 128);
        return o == BLAS ? "OpenBLAS" : "vector loops (" + PROPERTY + "=" + System.getProperty(PROPERTY, "auto") + ")";
    }

    /** Whether OPENBLAS_CORETYPE names a core whose kernels are AVX2 or older. */
    static boolean openBlasHeldBelowAvx512() {
        String core = System.getenv("OPENBLAS_CORETYPE");
        if (core == null || core.isBlank()) return false;
        String c = core.trim().toUpperCase(Locale.ROOT);
        return !(c.contains("SKYLAKEX") || c.contains("COOPERLAKE") || c.contains("SAPPHIRERAPIDS"));
    }
}
