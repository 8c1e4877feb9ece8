package io.vitlens.core.model.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The products blocked for 8-lane vectors ({@link SimdAttention#abt8}, {@link SimdAttention#ab8},
 * {@link SimdAttention#atb8}; the ones used when {@link SimdAttention#EIGHT}) against the loops blocked for
 * 16 lanes ({@code abt}, {@code ab}, {@code atb}): the same bits for every element, with and without
 * accumulation, at token counts that leave every remainder (1 to 4 leftover rows of a 3- or 5-row block, a
 * leftover vector of columns) and at the tiny model's 65 tokens and 197 (ViT at 224 px). Whatever the
 * machine's lane count, both loops run here, so an AVX-512 machine checks them too.
 */
class SimdAttention8Test {

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 2);
        return a;
    }

    @ParameterizedTest(name = "T {0}, head {1} vectors")
    @CsvSource({"65, 4", "17, 4", "197, 8", "1, 1", "2, 2", "3, 1", "4, 3", "5, 4", "6, 5", "7, 2", "9, 1",
            "11, 6", "64, 4", "66, 2"})
    void eightLaneBlockingHasTheSameBits(int t, int vectors) {
        assertTrue(FastFloatKernels.INSTANCE.vectorized(), "the test JVM must run with --add-modules jdk.incubator.vector");
        int lanes = SimdRows.lanes(), d = vectors * lanes, tp = SimdAttention.padded(t);
        int ld = 3 * d + 5, ldc = d + 3;
        Random r = new Random(t * 131L + d);
        float[] x = gaussian(r, 2 + t * ld), yt = gaussian(r, 1 + d * tp), p = gaussian(r, 3 + t * tp);

        // scores: [T, d] x [d, Tp]
        float[] want = gaussian(r, t * tp + 4), got = want.clone();
        SimdAttention.abt(x, 2, ld, yt, tp, want, tp, t, tp, d, 0.17f);
        SimdAttention.abt8(x, 2, ld, yt, tp, got, tp, t, tp, d, 0.17f);
        assertArrayEquals(want, got, 0f, "abt8");

        for (boolean accumulate : new boolean[]{false, true}) {
            // P V and P^T V: [T, T] x [T, d] into a strided C
            float[] c0 = gaussian(r, 1 + t * ldc);
            want = c0.clone();
            got = c0.clone();
            SimdAttention.ab(p, 3, tp, x, 2 + d, ld, want, 1, ldc, t, d, t, 0.5f, accumulate);
            SimdAttention.ab8(p, 3, tp, x, 2 + d, ld, got, 1, ldc, t, d, t, 0.5f, accumulate);
            assertArrayEquals(want, got, 0f, "ab8, accumulate " + accumulate);
            want = c0.clone();
            got = c0.clone();
            SimdAttention.atb(p, 3, tp, x, 2 + d, ld, want, 1, ldc, t, d, t, 0.5f, accumulate);
            SimdAttention.atb8(p, 3, tp, x, 2 + d, ld, got, 1, ldc, t, d, t, 0.5f, accumulate);
            assertArrayEquals(want, got, 0f, "atb8, accumulate " + accumulate);
        }
    }
}
