package io.vitlens.core.model.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-built vector exponential against {@code Math.exp}; the kernels using it are in FastFloatKernelsTest. */
class SimdRowsTest {

    @Test
    void expMatchesMathExpToFloatPrecisionOverItsRange() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        double worst = 0;
        for (float start = -87f; start < 88f; start += 0.0173f * lanes) {
            for (int i = 0; i < lanes; i++) x[i] = start + 0.0173f * i;
            SimdRows.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                if (x[i] > 88f) continue; // clamped: see expOfZeroIsOne...
                double want = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - want) / want);
            }
        }
        assertEquals(0, worst, 3e-7, "largest relative error of exp on [-87, 88]");
    }

    @Test
    void softmaxOfManyRowsInPassesIsBitForBitTheSingleRowSoftmax() {
        java.util.Random r = new java.util.Random(5);
        for (int n : new int[]{1, 7, 16, 17, 65, 80, 257}) {
            int stride = SimdRows.padded(n) + 3;   // rows need not be packed
            float[] four = new float[5 + 6 * stride], one = new float[four.length];
            for (int i = 0; i < four.length; i++) four[i] = (float) (r.nextGaussian() * 4);
            System.arraycopy(four, 0, one, 0, four.length);
            SimdRows.softmaxRows(four, 5, stride, 6, n, new float[6]);
            for (int row = 0; row < 6; row++) {
                SimdRows.softmax(one, 5 + row * stride, n);
                double total = 0;
                for (int j = 0; j < n; j++) {
                    int at = 5 + row * stride + j;
                    assertEquals(Float.floatToRawIntBits(one[at]), Float.floatToRawIntBits(four[at]),
                            "n " + n + ", row " + row + ", column " + j);
                    total += four[at];
                }
                assertEquals(1.0, total, 1e-5, "n " + n + ", row " + row + " sums to 1");
            }
        }
    }

    @Test
    void expOfZeroIsOneAndHugeNegativesUnderflowTowardsZero() {
        float[] x = new float[FloatVector.SPECIES_PREFERRED.length()];
        float[] y = new float[x.length];
        x[0] = 0f;
        x[x.length - 1] = -1000f;
        SimdRows.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
        assertEquals(1f, y[0]);
        assertEquals(0, y[x.length - 1], 1e-37, "exp(-1000) is clamped to exp(-87) = 1.6e-38");
    }
}
