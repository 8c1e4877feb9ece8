package io.vitlens.core.model.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backward attention's P^T V product read in place ({@link SimdAttention#atb}) against the transposed
 * copy it replaced ({@code transpose} then {@link SimdAttention#ab}): the same bits, with and without
 * accumulation, for the shapes of 65 / 17 / 5 tokens (four-row groups plus leftover rows), and against a
 * double sum.
 */
class SimdAttentionAtbTest {

    @ParameterizedTest(name = "T {0}, d {1}, accumulate {2}")
    @CsvSource({"65, 32, false", "65, 32, true", "17, 16, false", "5, 48, true", "4, 16, false"})
    void inPlaceTransposedProductEqualsTheCopiedOne(int t, int d, boolean accumulate) {
        assertTrue(FastFloatKernels.INSTANCE.vectorized(), "the test JVM must run with --add-modules jdk.incubator.vector");
        int tp = SimdAttention.padded(t), ldv = 3 * d + 7, ldc = 2 * d;
        Random r = new Random(t * 31L + d);
        float[] p = new float[3 + t * tp], v = new float[5 + t * ldv], c0 = new float[1 + t * ldc];
        for (int i = 0; i < p.length; i++) p[i] = (float) r.nextGaussian();
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        for (int i = 0; i < c0.length; i++) c0[i] = (float) r.nextGaussian();

        float[] want = c0.clone(), got = c0.clone(), pt = new float[t * tp];
        SimdAttention.transpose(p, 3, tp, t, t, pt, tp);
        SimdAttention.ab(pt, 0, tp, v, 5 + d, ldv, want, 1, ldc, t, d, t, 0.25f, accumulate);
        SimdAttention.atb(p, 3, tp, v, 5 + d, ldv, got, 1, ldc, t, d, t, 0.25f, accumulate);
        assertArrayEquals(want, got, 0f, "same bits as the transposed copy");
        assertEquals(c0[0], got[0], 0f, "nothing written before the output's offset");

        for (int i = 0; i < t; i++)
            for (int col = 0; col < d; col++) {
                double s = 0, mag = 0;
                for (int j = 0; j < t; j++) {
                    double term = (double) p[3 + j * tp + i] * v[5 + d + j * ldv + col];
                    s += term;
                    mag += Math.abs(term);
                }
                double expect = 0.25 * s + (accumulate ? c0[1 + i * ldc + col] : 0);
                assertEquals(expect, got[1 + i * ldc + col], 1e-6 * (mag + Math.abs(expect)) + 1e-7, "C[" + i + ", " + col + "]");
            }
        if (!accumulate) {   // columns d..ldc of each row are not C's: untouched
            for (int i = 0; i < t; i++)
                assertTrue(Arrays.equals(c0, 1 + i * ldc + d, 1 + (i + 1) * ldc, got, 1 + i * ldc + d, 1 + (i + 1) * ldc));
        }
    }
}
