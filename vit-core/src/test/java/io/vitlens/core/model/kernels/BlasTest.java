package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BLAS wrapper against triple loops, on sub-matrices at offsets with leading dimensions. */
class BlasTest {

    @Test
    void handComputedProduct() {
        INDArray a = Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}});
        INDArray b = Nd4j.createFromArray(new double[][]{{5, 6}, {7, 8}});
        INDArray c = Nd4j.create(DataType.DOUBLE, 2, 2);
        Blas.matmul(a, false, b, false, c, 1.0, 0.0);
        assertEquals(19, c.getDouble(0, 0));
        assertEquals(22, c.getDouble(0, 1));
        assertEquals(43, c.getDouble(1, 0));
        assertEquals(50, c.getDouble(1, 1));
        Blas.matmul(a, true, b, false, c, 2.0, 1.0); // c = 2 a^T b + c
        assertEquals(19 + 2 * (1 * 5 + 3 * 7), c.getDouble(0, 0));
    }

    @Test
    void everyTransposeOnStridedSubMatricesInBothTypes() {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    int m = 5, n = 4, k = 3, lda = 9, ldb = 7, ldc = 6;
                    long aOff = 2, bOff = 3, cOff = 4;
                    INDArray a = random(t, 60, 1), b = random(t, 60, 2), c = random(t, 40, 3);
                    double[] av = Buffers.toDoubles(a), bv = Buffers.toDoubles(b), cv = Buffers.toDoubles(c);
                    Blas.gemm(ta, tb, m, n, k, 0.5, a, aOff, lda, b, bOff, ldb, 2.0, c, cOff, ldc);
                    double[] got = Buffers.toDoubles(c);
                    double tol = t == DataType.FLOAT ? 1e-5 : 1e-13;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int p = 0; p < k; p++) {
                                double x = ta ? av[(int) aOff + p * lda + i] : av[(int) aOff + i * lda + p];
                                double y = tb ? bv[(int) bOff + j * ldb + p] : bv[(int) bOff + p * ldb + j];
                                s += x * y;
                            }
                            int ci = (int) cOff + i * ldc + j;
                            assertEquals(0.5 * s + 2.0 * cv[ci], got[ci], tol, t + " ta=" + ta + " tb=" + tb);
                        }
                    }
                    // outside the m x n block nothing changed
                    assertEquals(cv[0], got[0], 0.0);
                    assertEquals(cv[(int) cOff + n], got[(int) cOff + n], 0.0);
                }
            }
        }
    }

    @Test
    void outOfRangeBlocksAreRejectedBeforeReachingNativeCode() {
        INDArray a = Nd4j.create(DataType.FLOAT, 10);
        INDArray c = Nd4j.create(DataType.FLOAT, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 3, 3, 3, 1, a, 2, 3, a, 0, 3, 0, c, 0, 3)); // A: 2 + 9 > 10
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 2, 2, 2, 1, a, 0, 1, a, 0, 2, 0, c, 0, 2)); // lda < k
        assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 2, 2, 2, 1, a, 0, 2, Nd4j.create(DataType.DOUBLE, 10), 0, 2, 0, c, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Blas.matmul(Nd4j.create(DataType.FLOAT, 2, 3), false, Nd4j.create(DataType.FLOAT, 2, 3), false,
                        Nd4j.create(DataType.FLOAT, 2, 3), 1, 0));
    }

    private static INDArray random(DataType t, int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return Nd4j.createFromArray(v).castTo(t);
    }
}
