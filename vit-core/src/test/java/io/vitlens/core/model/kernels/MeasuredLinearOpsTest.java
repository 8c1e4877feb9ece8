package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The linear layers' dispatch: whichever implementation the (fake-timed) chooser declares faster is the one
 * whose exact bits come out, per product family, and timing the candidates on the caller's arrays leaves
 * an accumulating input gradient added exactly once.
 */
class MeasuredLinearOpsTest {

    private static final int R = 130, K = 128, N = 384;

    @BeforeEach
    void requireVectors() {
        assertTrue(FastFloatKernels.INSTANCE.vectorized(), "the test JVM must run with --add-modules jdk.incubator.vector");
    }

    @AfterEach
    void restore() {
        KernelChooser.install(null);
    }

    /** Installs a chooser that finds {@code fast} faster for every key. */
    private static KernelChooser preferring(String fast) {
        KernelChooser c = new KernelChooser((key, impl, run) -> {
            run.run();
            return impl.equals(fast) ? 1.0 : 2.0;
        }, null, new MachineFingerprint(Map.of("test", fast)));
        KernelChooser.install(c);
        return c;
    }

    @Test
    void eachFamilyRunsTheChosenImplementationBitForBit() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, R, K), w = Nd4j.randn(DataType.FLOAT, N, K);
        INDArray b = Nd4j.randn(DataType.FLOAT, N), res = Nd4j.randn(DataType.FLOAT, R, N), dy = Nd4j.randn(DataType.FLOAT, R, N);
        for (String impl : new String[]{"vector", "openblas"}) {
            KernelChooser c = preferring(impl);
            LinearOps direct = impl.equals("vector") ? SimdLinear.INSTANCE : LinearOps.BLAS;
            LinearOps chosen = LinearOps.forType(DataType.FLOAT, FastFloatKernels.INSTANCE, N, K);

            INDArray want = Nd4j.create(DataType.FLOAT, R, N), got = Nd4j.create(DataType.FLOAT, R, N);
            direct.forward(x, w, b, res, want, FastFloatKernels.INSTANCE);
            chosen.forward(x, w, b, res, got, FastFloatKernels.INSTANCE);
            assertArrayEquals(want.ravel().toFloatVector(), got.ravel().toFloatVector(), 0f, impl + " forward");

            INDArray wantA = Nd4j.create(DataType.FLOAT, R, N), wantD = Nd4j.create(DataType.FLOAT, R, N);
            INDArray gotA = Nd4j.create(DataType.FLOAT, R, N), gotD = Nd4j.create(DataType.FLOAT, R, N);
            direct.forwardGelu(x, w, b, wantA, wantD, FastFloatKernels.INSTANCE);
            chosen.forwardGelu(x, w, b, gotA, gotD, FastFloatKernels.INSTANCE);
            assertArrayEquals(wantA.ravel().toFloatVector(), gotA.ravel().toFloatVector(), 0f, impl + " gelu");
            assertArrayEquals(wantD.ravel().toFloatVector(), gotD.ravel().toFloatVector(), 0f, impl + " gelu'");

            INDArray wantW = Nd4j.create(DataType.FLOAT, N, K), wantB = Nd4j.create(DataType.FLOAT, N);
            INDArray gotW = Nd4j.create(DataType.FLOAT, N, K), gotB = Nd4j.create(DataType.FLOAT, N);
            direct.weightGrad(dy, x, wantW, wantB, FastFloatKernels.INSTANCE);
            chosen.weightGrad(dy, x, gotW, gotB, FastFloatKernels.INSTANCE);
            assertArrayEquals(wantW.ravel().toFloatVector(), gotW.ravel().toFloatVector(), 0f, impl + " dW");
            assertArrayEquals(wantB.ravel().toFloatVector(), gotB.ravel().toFloatVector(), 0f, impl + " db");

            // accumulate: dx = dx0 + dy W exactly once, although the candidates were timed several times
            INDArray dx0 = Nd4j.randn(DataType.FLOAT, R, K);
            INDArray wantX = dx0.dup(), gotX = dx0.dup();
            direct.inputGrad(dy, w, wantX, true);
            chosen.inputGrad(dy, w, gotX, true);
            assertArrayEquals(wantX.ravel().toFloatVector(), gotX.ravel().toFloatVector(), 0f, impl + " dX accumulated");
            INDArray wantX2 = Nd4j.create(DataType.FLOAT, R, K), gotX2 = Nd4j.create(DataType.FLOAT, R, K);
            direct.inputGrad(dy, w, wantX2, false);
            chosen.inputGrad(dy, w, gotX2, false);
            assertArrayEquals(wantX2.ravel().toFloatVector(), gotX2.ravel().toFloatVector(), 0f, impl + " dX");

            Map<String, String> used = c.used();
            assertEquals(4, used.size(), used.toString());
            for (KernelFamily f : new KernelFamily[]{KernelFamily.LINEAR_FORWARD, KernelFamily.LINEAR_FORWARD_GELU,
                    KernelFamily.LINEAR_WEIGHT_GRAD, KernelFamily.LINEAR_INPUT_GRAD})
                assertEquals(impl, used.get(KernelKey.linear(f, R, N, K).toString()), f.id());
        }
    }
}
