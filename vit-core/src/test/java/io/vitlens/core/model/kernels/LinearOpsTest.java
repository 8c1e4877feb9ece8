package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both {@link LinearOps} implementations against the products written out in double, element by element. */
class LinearOpsTest {

    @ParameterizedTest(name = "{4}: R {0}, K {1}, N {2}, residual/accumulate {3}")
    @CsvSource({
            "130, 128, 384, false, vector", "130, 128, 128, true, vector", "1100, 256, 128, true, vector",
            "5, 32, 48, false, vector", "1, 16, 16, true, vector",
            "66, 192, 576, true, vector", "9, 208, 80, false, vector",
            "130, 128, 384, true, blas", "7, 24, 40, false, blas"})
    void forwardAndBothGradientsMatchDoubleSums(int rows, int k, int n, boolean extra, String impl) {
        LinearOps ops = impl.equals("blas") ? LinearOps.BLAS : SimdLinear.INSTANCE;
        if (ops != LinearOps.BLAS)
            Assumptions.assumeTrue(FastFloatKernels.INSTANCE.vectorized() && n % SimdRows.lanes() == 0
                    && k % SimdRows.lanes() == 0, "vector kernels not active for these shapes");
        Kernels kern = FastFloatKernels.INSTANCE;
        Random r = new Random(rows * 7L + k + n);
        double[] x = gauss(r, rows * k), w = gauss(r, n * k), b = gauss(r, n), res = gauss(r, rows * n);
        double[] dy = gauss(r, rows * n), dx0 = gauss(r, rows * k);

        INDArray out = nan(rows, n);
        ops.forward(f(x, rows, k), f(w, n, k), f(b, n), extra ? f(res, rows, n) : null, out, kern);
        double[] got = Buffers.toDoubles(out);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++) {
                double want = b[j] + (extra ? res[i * n + j] : 0), mag = Math.abs(want);
                for (int p = 0; p < k; p++) {
                    want += x[i * k + p] * w[j * k + p];
                    mag += Math.abs(x[i * k + p] * w[j * k + p]);
                }
                assertEquals(want, got[i * n + j], 1e-6 * mag + 1e-7, "out[" + i + ", " + j + "]");
            }

        INDArray act = nan(rows, n), der = nan(rows, n);
        ops.forwardGelu(f(x, rows, k), f(w, n, k), f(b, n), act, extra ? der : null, kern);
        double[] gotAct = Buffers.toDoubles(act), gotDer = Buffers.toDoubles(der);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++) {
                double pre = b[j], mag = Math.abs(pre);
                for (int p = 0; p < k; p++) {
                    pre += x[i * k + p] * w[j * k + p];
                    mag += Math.abs(x[i * k + p] * w[j * k + p]);
                }
                double cdf = NormalCdf.exact(pre);   // GELU = u Phi(u), GELU' = Phi(u) + u phi(u)
                assertEquals(pre * cdf, gotAct[i * n + j], 1e-6 * mag + 2e-6, "gelu[" + i + ", " + j + "]");
                if (extra)
                    assertEquals(cdf + pre * NormalCdf.density(pre), gotDer[i * n + j], 1e-6 * mag + 1e-5,
                            "gelu'[" + i + ", " + j + "]");
            }
        if (!extra) assertTrue(Double.isNaN(gotDer[0]), "derivative written although not asked for");

        INDArray dx = extra ? f(dx0, rows, k) : nan(rows, k);
        ops.inputGrad(f(dy, rows, n), f(w, n, k), dx, extra);
        got = Buffers.toDoubles(dx);
        for (int i = 0; i < rows; i++)
            for (int p = 0; p < k; p++) {
                double want = extra ? dx0[i * k + p] : 0, mag = Math.abs(want);
                for (int j = 0; j < n; j++) {
                    want += dy[i * n + j] * w[j * k + p];
                    mag += Math.abs(dy[i * n + j] * w[j * k + p]);
                }
                assertEquals(want, got[i * k + p], 1e-6 * mag + 1e-7, "dx[" + i + ", " + p + "]");
            }

        INDArray dw = nan(n, k), db = nan(n);
        ops.weightGrad(f(dy, rows, n), f(x, rows, k), dw, db, kern);
        double[] gw = Buffers.toDoubles(dw), gb = Buffers.toDoubles(db);
        for (int j = 0; j < n; j++) {
            double wantB = 0, magB = 0;
            for (int i = 0; i < rows; i++) {
                wantB += dy[i * n + j];
                magB += Math.abs(dy[i * n + j]);
            }
            assertEquals(wantB, gb[j], 1e-6 * magB + 1e-7, "db[" + j + "]");
            for (int p = 0; p < k; p++) {
                double want = 0, mag = 0;
                for (int i = 0; i < rows; i++) {
                    want += dy[i * n + j] * x[i * k + p];
                    mag += Math.abs(dy[i * n + j] * x[i * k + p]);
                }
                assertEquals(want, gw[j * k + p], 1e-6 * mag + 1e-7, "dw[" + j + ", " + p + "]");
            }
        }
    }

    @Test
    void doubleModelsAndOddShapesUseOpenBlas() {
        assertSame(LinearOps.BLAS, LinearOps.forType(DataType.DOUBLE, PlainKernels.INSTANCE, 128, 128));
        assertSame(LinearOps.BLAS, LinearOps.forType(DataType.FLOAT, FastFloatKernels.SCALAR, 128, 128));
        assertSame(LinearOps.BLAS, LinearOps.forType(DataType.FLOAT, FastFloatKernels.INSTANCE, 100, 128));
    }

    private static double[] gauss(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static INDArray f(double[] v, long... shape) {
        return Nd4j.createFromArray(v).reshape('c', shape).castTo(DataType.FLOAT);
    }

    private static INDArray nan(long... shape) {
        return Nd4j.valueArrayOf(shape, Float.NaN, DataType.FLOAT);
    }
}
