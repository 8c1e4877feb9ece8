package io.vitlens.core.model.layers;

import io.vitlens.core.model.kernels.Buffers;
import io.vitlens.core.model.kernels.FastFloatKernels;
import io.vitlens.core.model.kernels.KernelChooser;
import io.vitlens.core.model.kernels.Kernels;
import io.vitlens.core.model.kernels.MachineFingerprint;
import io.vitlens.core.model.kernels.PlainKernels;
import io.vitlens.core.model.kernels.SimdAttention;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API attention heads ({@link SimdAttention}, taken by FLOAT models) against the same
 * AttentionCore computed in double with one BLAS product per head ({@link PlainKernels}), for the
 * projection layouts a block can have: separate Q, K, V; tied Q/K; V = LN1 output (identity).
 */
class AttentionCoreTest {

    /** These tests are about the vector heads: keep the kernel chooser from picking OpenBLAS for them. */
    @BeforeAll
    static void forceVectorHeads() {
        System.setProperty(KernelChooser.ATTENTION_PROPERTY, "vector");
    }

    @AfterAll
    static void measureAgain() {
        System.clearProperty(KernelChooser.ATTENTION_PROPERTY);
        KernelChooser.install(null);
    }

    /**
     * Where the chooser finds OpenBLAS faster, the FLOAT heads run one OpenBLAS product per head: the same
     * bits as with {@code -Dvitlens.attention=openblas}, and the probabilities are written even in inference.
     */
    @org.junit.jupiter.api.Test
    void chooserPreferringOpenBlasRunsThePerHeadProducts() {
        int batch = 2, tokens = 17, heads = 2, d = 16, ld = 3 * heads * d;
        assertTrue(FastFloatKernels.INSTANCE.vectorized(), "the test JVM must run with --add-modules jdk.incubator.vector");
        Assumptions.assumeTrue(SimdAttention.supports(d), "heads of 16 need vectors of at most 16 lanes");
        Random r = new Random(5);
        INDArray qkv = gauss(r, (long) batch * tokens, ld).castTo(DataType.FLOAT);
        AttentionCore core = new AttentionCore(batch, tokens, heads, d, qkv, ld, 0, heads * d, qkv, ld, 2 * heads * d);
        INDArray attnWant = nan(Nd4j.create(DataType.FLOAT, (long) batch * heads * tokens, tokens));
        INDArray outWant = nan(Nd4j.create(DataType.FLOAT, (long) batch * tokens, heads * d));
        System.setProperty(KernelChooser.ATTENTION_PROPERTY, "openblas");
        core.forward(attnWant, false, outWant, FastFloatKernels.INSTANCE);

        System.clearProperty(KernelChooser.ATTENTION_PROPERTY);
        KernelChooser c = new KernelChooser((key, impl, run) -> {
            run.run();
            return impl.equals(KernelChooser.OPENBLAS) ? 1.0 : 2.0;
        }, null, new MachineFingerprint(java.util.Map.of("test", "openblas")));
        KernelChooser.install(c);
        try {
            INDArray attn = nan(attnWant), out = nan(outWant);
            core.forward(attn, false, out, FastFloatKernels.INSTANCE);
            assertEquals(outWant, out, "output");
            assertEquals(attnWant, attn, "probabilities written by the per-head path");
            assertEquals(java.util.Map.of("attention.forward@2x17x2x16", "openblas"), c.used());
        } finally {
            System.setProperty(KernelChooser.ATTENTION_PROPERTY, "vector");
        }
    }

    @ParameterizedTest(name = "B {0}, T {1}, H {2}, d {3}, tied {4}, identity V {5}")
    @CsvSource({
            "3, 65, 4, 32, false, false",
            "2, 65, 2, 32, true, false",
            "2, 17, 3, 16, false, true",
            "2, 5, 2, 16, true, true",
            "1, 33, 1, 64, false, false",
            "2, 4, 2, 48, false, false"})
    void vectorHeadsMatchPerHeadProductsInDouble(int batch, int tokens, int heads, int d, boolean tied, boolean identityV) {
        Assumptions.assumeTrue(FastFloatKernels.INSTANCE.vectorized() && SimdAttention.supports(d),
                "vector kernels not active for d=" + d);
        int width = heads * d;
        int sections = (tied ? 1 : 2) + (identityV ? 0 : 1);
        int ld = sections * width, kCol = tied ? 0 : width, vCol = identityV ? 0 : (tied ? 1 : 2) * width;
        int ldv = identityV ? width : ld;
        long rows = (long) batch * tokens;
        Random r = new Random(batch * 31L + tokens);
        INDArray qkD = gauss(r, rows, ld), vD = identityV ? gauss(r, rows, width) : qkD;
        INDArray dOutD = gauss(r, rows, width);

        // double reference: one BLAS product per head
        INDArray attnD = Nd4j.create(DataType.DOUBLE, (long) batch * heads * tokens, tokens);
        INDArray outD = Nd4j.create(DataType.DOUBLE, rows, width);
        AttentionCore ref = new AttentionCore(batch, tokens, heads, d, qkD, ld, 0, kCol, vD, ldv, vCol);
        ref.forward(attnD, outD, PlainKernels.INSTANCE);
        INDArray dqkD = Nd4j.create(DataType.DOUBLE, rows, ld);
        INDArray dvD = identityV ? Nd4j.create(DataType.DOUBLE, rows, width) : dqkD;
        ref.backward(attnD, dOutD, Nd4j.create(DataType.DOUBLE, (long) batch * heads * tokens, tokens), dqkD, dvD,
                identityV ? width : ld, identityV ? 0 : vCol, PlainKernels.INSTANCE);

        // float, vector heads; outputs pre-filled with NaN so that an element left unwritten fails
        INDArray qkF = qkD.castTo(DataType.FLOAT), vF = identityV ? vD.castTo(DataType.FLOAT) : qkF;
        INDArray attnF = nan(attnD), outF = nan(outD);
        AttentionCore fast = new AttentionCore(batch, tokens, heads, d, qkF, ld, 0, kCol, vF, ldv, vCol);
        Kernels k = FastFloatKernels.INSTANCE;
        fast.forward(attnF, outF, k);
        INDArray dqkF = nan(dqkD), dvF = identityV ? nan(dvD) : dqkF;
        fast.backward(attnF, dOutD.castTo(DataType.FLOAT), nan(attnD), dqkF, dvF,
                identityV ? width : ld, identityV ? 0 : vCol, k);

        close(attnD, attnF, "attention");
        // inference: the same output, and the probabilities are not written back
        INDArray attnSkipped = nan(attnD), outInfer = nan(outD);
        fast.forward(attnSkipped, false, outInfer, k);
        assertEquals(outF, outInfer, "inference output");
        for (double v : Buffers.toDoubles(attnSkipped)) assertTrue(Double.isNaN(v), "attention written in inference");
        close(outD, outF, "output");
        close(dqkD, dqkF, "dQ/dK" + (identityV ? "" : "/dV"));
        if (identityV) close(dvD, dvF, "dV");
        // rows of probabilities sum to one
        double[] a = Buffers.toDoubles(attnF);
        for (int row = 0; row < a.length / tokens; row++) {
            double sum = 0;
            for (int j = 0; j < tokens; j++) sum += a[row * tokens + j];
            assertEquals(1.0, sum, 1e-5, "row " + row + " sums to " + sum);
        }
    }

    private static INDArray gauss(Random r, long rows, long cols) {
        double[] v = new double[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Nd4j.createFromArray(v).reshape('c', rows, cols);
    }

    private static INDArray nan(INDArray like) {
        return Nd4j.valueArrayOf(like.shape(), Float.NaN, DataType.FLOAT);
    }

    private static void close(INDArray ref, INDArray got, String what) {
        double[] p = Buffers.toDoubles(ref), f = Buffers.toDoubles(got);
        double scale = 0;
        for (double v : p) scale += Math.abs(v) / p.length;
        for (int i = 0; i < p.length; i++) {
            assertTrue(Double.isFinite(f[i]), what + " element " + i + " not written: " + f[i]);
            assertEquals(p[i], f[i], 2e-5 * (Math.abs(p[i]) + scale), what + " element " + i);
        }
    }
}
