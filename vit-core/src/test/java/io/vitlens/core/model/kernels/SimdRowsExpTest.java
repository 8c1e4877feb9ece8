package io.vitlens.core.model.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SimdRows#exp} (clamp as compare-and-blend, exponent bias in one subtraction) against the form it
 * replaced (clamp as {@code max(-87).min(88)}, bias as two integer steps): the same bits for special values
 * (NaN, infinities, signed zeros, subnormals, the clamp bounds and their neighbours) and for a million random
 * floats over all exponents. The replacement was also compared over all 2^32 inputs once (20 s, not run here).
 */
class SimdRowsExpTest {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The exponential as it was before the blend clamp: the reference bits. */
    private static FloatVector before(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector t = x.mul(1.44269504088896341f).add(12582912f);
        FloatVector n = t.sub(12582912f);
        FloatVector r = n.fma(FloatVector.broadcast(S, -0.693359375f), x);
        r = n.fma(FloatVector.broadcast(S, 2.12194440e-4f), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(Float.floatToRawIntBits(12582912f)).add(127)
                .lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    @Test
    void sameBitsAsTheMaxMinClamp() {
        assertTrue(FastFloatKernels.INSTANCE.vectorized(), "the test JVM must run with --add-modules jdk.incubator.vector");
        int lanes = S.length();
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
                1e-40f, -1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, -87f, 88f,
                Math.nextDown(-87f), Math.nextUp(-87f), Math.nextDown(88f), Math.nextUp(88f), 1f, -1f, 0.5f,
                -0.34657359f, 0.34657359f, -100f, 100f, 1e10f, -1e10f};
        Random r = new Random(11);
        int n = ((special.length + (1 << 20)) / lanes + 1) * lanes;
        float[] x = new float[n];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < n; i++)
            x[i] = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(r.nextInt());            // any bit pattern
                case 1 -> (float) (r.nextDouble() * 200 - 100);        // around the clamp bounds
                default -> (float) (r.nextGaussian() * 4);             // softmax / GELU arguments
            };
        int[] want = new int[n], got = new int[n];
        for (int i = 0; i < n; i += lanes) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            before(v).reinterpretAsInts().intoArray(want, i);
            SimdRows.exp(v).reinterpretAsInts().intoArray(got, i);
        }
        assertArrayEquals(want, got);
    }
}
