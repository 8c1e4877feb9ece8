package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;


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

    /** System property forcing the implementation: {@code auto} (default: measured), {@code vector} or {@code openblas}. */
    String PROPERTY = KernelChooser.LINEAR_PROPERTY;

    /**
     * The implementation for a layer of type {@code t} with N outputs and K inputs. Where both can run (FLOAT,
     * the Vector API on, N and K whole vectors), each product family runs on the one {@link KernelChooser}
     * measured faster for the call's shape, unless {@code -Dvitlens.linear} forces one; elsewhere OpenBLAS.
     */
    static LinearOps forType(DataType t, Kernels kernels, int n, int k) {
        boolean vectorOk = t == DataType.FLOAT && kernels instanceof FastFloatKernels f && f.vectorized()
                && n % SimdRows.lanes() == 0 && k % SimdRows.lanes() == 0;
        return vectorOk ? new MeasuredLinearOps(n, k) : BLAS;
    }

    /** How the linear layers' kernels are chosen, for benchmark reports. */
    static String describe() {
        if (!(FastFloatKernels.INSTANCE.vectorized())) return "OpenBLAS (no Vector API)";
        String forced = System.getProperty(PROPERTY, "auto");
        return forced.equalsIgnoreCase("auto") || forced.isBlank()
                ? "vector loops or OpenBLAS, measured per shape" : "forced " + forced + " (" + PROPERTY + ")";
    }
}
