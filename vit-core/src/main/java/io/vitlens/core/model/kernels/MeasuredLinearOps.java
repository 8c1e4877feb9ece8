package io.vitlens.core.model.kernels;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Consumer;

/**
 * {@link LinearOps} that runs each product family on the implementation {@link KernelChooser} picked for the
 * call's shape (R rows, N outputs, K inputs): the vector loops ({@link SimdLinear}) or OpenBLAS
 * ({@link LinearOps#BLAS}). Only used where both can run (FLOAT, vector-aligned N and K).
 */
final class MeasuredLinearOps implements LinearOps {
    private final int n, k;

    MeasuredLinearOps(int n, int k) {
        this.n = n;
        this.k = k;
    }

    @Override
    public void forward(INDArray in, INDArray w, INDArray bias, INDArray residual, INDArray out, Kernels kernels) {
        pick(KernelFamily.LINEAR_FORWARD, in.length() / k, o -> o.forward(in, w, bias, residual, out, kernels))
                .forward(in, w, bias, residual, out, kernels);
    }

    @Override
    public void forwardGelu(INDArray in, INDArray w, INDArray bias, INDArray act, INDArray derivative, Kernels kernels) {
        pick(KernelFamily.LINEAR_FORWARD_GELU, in.length() / k, o -> o.forwardGelu(in, w, bias, act, derivative, kernels))
                .forwardGelu(in, w, bias, act, derivative, kernels);
    }

    @Override
    public void inputGrad(INDArray dy, INDArray w, INDArray dx, boolean accumulate) {
        // an accumulating call is not idempotent: its candidates are timed into a scratch array instead
        INDArray[] scratch = new INDArray[1];
        Consumer<LinearOps> timed = accumulate
                ? o -> o.inputGrad(dy, w, scratch(scratch, dx), false)
                : o -> o.inputGrad(dy, w, dx, false);
        pick(KernelFamily.LINEAR_INPUT_GRAD, dy.length() / n, timed).inputGrad(dy, w, dx, accumulate);
    }

    @Override
    public void weightGrad(INDArray dy, INDArray x, INDArray dw, INDArray dBias, Kernels kernels) {
        pick(KernelFamily.LINEAR_WEIGHT_GRAD, dy.length() / n, o -> o.weightGrad(dy, x, dw, dBias, kernels))
                .weightGrad(dy, x, dw, dBias, kernels);
    }

    private LinearOps pick(KernelFamily f, long rows, Consumer<LinearOps> call) {
        String impl = KernelChooser.get().choose(KernelKey.linear(f, rows, n, k), KernelChooser.candidates(
                KernelChooser.VECTOR, () -> call.accept(SimdLinear.INSTANCE),
                KernelChooser.OPENBLAS, () -> call.accept(LinearOps.BLAS)));
        return impl.equals(KernelChooser.VECTOR) ? SimdLinear.INSTANCE : LinearOps.BLAS;
    }

    private static INDArray scratch(INDArray[] holder, INDArray like) {
        if (holder[0] == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                holder[0] = Nd4j.createUninitialized(like.dataType(), like.shape(), 'c');
            }
        }
        return holder[0];
    }
}
