package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast float kernels against the plain double reference on the same float inputs. Sizes are above
 * the parallel threshold so the chunked path runs (2000 rows x 96 = 192k elements), plus a small case
 * that stays on the calling thread.
 */
class FastFloatKernelsTest {

    private static final Kernels PLAIN = PlainKernels.INSTANCE;
    private static final int[][] SHAPES = {{2000, 96}, {3, 7}, {520, 65}};

    /** The default instance (Vector API under the test runner's --add-modules) and the scalar fallback. */
    static Stream<Arguments> implementations() {
        return Stream.of(Arguments.of("default (" + Simd.describe() + ")", FastFloatKernels.INSTANCE),
                Arguments.of("scalar", FastFloatKernels.SCALAR));
    }

    @Test
    void vectorKernelsAreActiveUnderTheTestRunner() {
        // the surefire argLine adds jdk.incubator.vector; without it the default instance silently
        // falls back to the scalar loops and this suite would test the fallback twice
        assertTrue(Simd.AVAILABLE, "jdk.incubator.vector is not resolved: check the surefire argLine");
    }

    @Test
    void geluOverItsWholeRange() {
        // tails where Phi is tiny / near 1, the derivative's zero crossing near -0.75, and exact zero
        float[] v = new float[200];
        for (int i = 0; i < v.length; i++) v[i] = -12f + 24f * i / (v.length - 1);
        v[0] = 0f;
        v[1] = -0.7518f;
        INDArray u = Nd4j.createFromArray(v).reshape(1, v.length);
        INDArray of = u.dup(), df = u.dup(), op = u.dup(), dp = u.dup();
        FastFloatKernels.INSTANCE.gelu(u, of, df);
        PLAIN.gelu(u, op, dp);
        double[] o = Buffers.toDoubles(of), d = Buffers.toDoubles(df), oe = Buffers.toDoubles(op), de = Buffers.toDoubles(dp);
        for (int i = 0; i < v.length; i++) {
            assertEquals(oe[i], o[i], 2e-6 * Math.abs(oe[i]) + 1e-12, "gelu(" + v[i] + ")");
            assertEquals(de[i], d[i], 2e-6 * Math.abs(de[i]) + 3e-8, "gelu'(" + v[i] + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void layerNormForwardAndBackward(String name, Kernels fast) {
        for (int[] s : SHAPES) {
            int rows = s[0], d = s[1];
            INDArray x = gauss(1, 2.0, 0.5, rows, d), g = gauss(2, 0.3, 1, d), b = gauss(3, 0.3, 0, d);
            INDArray yf = Nd4j.create(DataType.FLOAT, rows, d), yp = Nd4j.create(DataType.FLOAT, rows, d);
            double[] mf = new double[rows], rf = new double[rows], mp = new double[rows], rp = new double[rows];
            fast.layerNormForward(x, g, b, 1e-6, yf, mf, rf);
            PLAIN.layerNormForward(x, g, b, 1e-6, yp, mp, rp);
            close(yp, yf, 2e-6, "layerNorm y");
            for (int i = 0; i < rows; i++) {
                // the vector kernel sums a row in float lanes (each lane over d / 16 values), then the lanes in double
                assertEquals(mp[i], mf[i], 1e-6 * Math.abs(mp[i]) + 1e-7, "mean");
                assertEquals(rp[i], rf[i], 1e-6 * rp[i], "rstd");
            }
            INDArray dy = gauss(4, 1, 0, rows, d);
            for (boolean acc : new boolean[]{false, true}) {
                INDArray dxf = gauss(5, 1, 0, rows, d), dxp = dxf.dup();
                INDArray dgf = Nd4j.create(DataType.FLOAT, d), dbf = Nd4j.create(DataType.FLOAT, d);
                INDArray dgp = Nd4j.create(DataType.FLOAT, d), dbp = Nd4j.create(DataType.FLOAT, d);
                fast.layerNormBackward(x, g, mf, rf, dy, dxf, acc, dgf, dbf);
                PLAIN.layerNormBackward(x, g, mp, rp, dy, dxp, acc, dgp, dbp);
                close(dxp, dxf, 1e-5, "layerNorm dx acc=" + acc);
                close(dgp, dgf, 1e-5, "layerNorm dgamma");
                close(dbp, dbf, 1e-5, "layerNorm dbeta");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void softmaxForwardAndBackward(String name, Kernels fast) {
        for (int[] s : SHAPES) {
            INDArray scores = gauss(6, 3, 0, s[0], s[1]);
            INDArray af = scores.dup(), ap = scores.dup();
            fast.softmaxRows(af);
            PLAIN.softmaxRows(ap);
            close(ap, af, 1e-6, "softmax");
            INDArray da = gauss(7, 1, 0, s[0], s[1]);
            INDArray gf = da.dup(), gp = da.dup();
            fast.softmaxBackwardRows(ap, gf);
            PLAIN.softmaxBackwardRows(ap, gp);
            close(gp, gf, 1e-5, "softmax backward");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void geluWithAndWithoutDerivative(String name, Kernels fast) {
        for (int[] s : SHAPES) {
            INDArray u = gauss(8, 3, 0, s[0], s[1]);
            INDArray of = Nd4j.create(DataType.FLOAT, s[0], s[1]), op = of.dup(), oi = of.dup();
            INDArray df = Nd4j.create(DataType.FLOAT, s[0], s[1]), dp = df.dup();
            fast.gelu(u, of, df);
            fast.gelu(u, oi, null);
            PLAIN.gelu(u, op, dp);
            close(op, of, 1e-6, "gelu");
            close(op, oi, 1e-6, "gelu (inference path)");
            close(dp, df, 1e-6, "gelu derivative");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void rowsPlusVectorWithAndWithoutRows(String name, Kernels fast) {
        for (int[] s : SHAPES) {
            INDArray x = gauss(10, 1, 0.1, s[0], s[1]), b = gauss(11, 1, 0, s[1]);
            INDArray f = Nd4j.valueArrayOf(new long[]{s[0], s[1]}, Float.NaN, DataType.FLOAT), p = f.dup();
            fast.rowsPlusVector(x, b, f);
            PLAIN.rowsPlusVector(x, b, p);
            close(x.addRowVector(b), p, 1e-6, "rowsPlusVector plain");
            close(p, f, 1e-6, "rowsPlusVector");
            fast.rowsPlusVector(null, b, f);
            close(Nd4j.zeros(DataType.FLOAT, s[0], s[1]).addRowVector(b), f, 0, "rowsPlusVector without rows");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void columnSums(String name, Kernels fast) {
        for (int[] s : SHAPES) {
            INDArray x = gauss(9, 1, 0.1, s[0], s[1]);
            INDArray f = Nd4j.create(DataType.FLOAT, s[1]), p = Nd4j.create(DataType.FLOAT, s[1]);
            fast.columnSums(x, f);
            PLAIN.columnSums(x, p);
            close(p, f, 1e-5, "columnSums");
        }
    }

    /** |fast - plain| <= tol * (|plain| + scale), scale = mean |plain| (so near-zero entries are compared absolutely). */
    private static void close(INDArray plain, INDArray fast, double tol, String what) {
        double[] p = Buffers.toDoubles(plain), f = Buffers.toDoubles(fast);
        double scale = 0;
        for (double v : p) scale += Math.abs(v) / p.length;
        for (int i = 0; i < p.length; i++)
            assertEquals(p[i], f[i], tol * (Math.abs(p[i]) + scale), what + " element " + i);
    }

    private static INDArray gauss(long seed, double std, double mean, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = mean + std * r.nextGaussian();
        return Nd4j.createFromArray(v).reshape('c', shape).castTo(DataType.FLOAT);
    }
}
