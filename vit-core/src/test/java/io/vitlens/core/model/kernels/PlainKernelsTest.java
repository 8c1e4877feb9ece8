package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference kernels against hand-computed values and finite differences. */
class PlainKernelsTest {

    private final Kernels k = PlainKernels.INSTANCE;

    @Test
    void layerNormOfOneToFour() {
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 2, 3, 4}});
        INDArray y = Nd4j.create(DataType.DOUBLE, 1, 4);
        double[] mean = new double[1], rstd = new double[1];
        k.layerNormForward(x, Nd4j.createFromArray(2.0, 1, 1, 1), Nd4j.createFromArray(0.0, 0, 0, 1), 1e-6, y, mean, rstd);
        double s = Math.sqrt(1.25 + 1e-6); // biased variance of 1..4 is 1.25
        assertEquals(2.5, mean[0], 1e-15);
        assertEquals(1 / s, rstd[0], 1e-15);
        assertArrayEquals(new double[]{-3 / s, -0.5 / s, 0.5 / s, 1.5 / s + 1}, Buffers.toDoubles(y), 1e-14);
    }

    @Test
    void softmaxRowsAndItsBackward() {
        INDArray s = Nd4j.createFromArray(new double[][]{{0, Math.log(2)}, {1000, 1000}});
        k.softmaxRows(s);
        assertArrayEquals(new double[]{1.0 / 3, 2.0 / 3, 0.5, 0.5}, Buffers.toDoubles(s), 1e-15);
        INDArray a = Nd4j.createFromArray(new double[][]{{1.0 / 3, 2.0 / 3}});
        INDArray da = Nd4j.createFromArray(new double[][]{{1, 0}});
        k.softmaxBackwardRows(a, da); // a * (da - a.da) with a.da = 1/3
        assertArrayEquals(new double[]{2.0 / 9, -2.0 / 9}, Buffers.toDoubles(da), 1e-15);
    }

    @Test
    void exactGeluAndDerivative() {
        INDArray u = Nd4j.createFromArray(new double[][]{{1, -1, 0}});
        INDArray out = Nd4j.create(DataType.DOUBLE, 1, 3), der = Nd4j.create(DataType.DOUBLE, 1, 3);
        k.gelu(u, out, der);
        // GELU(u) = u Phi(u); GELU'(1) = Phi(1) + phi(1)
        assertArrayEquals(new double[]{0.8413447460685429, -0.15865525393145707, 0}, Buffers.toDoubles(out), 1e-15);
        assertArrayEquals(new double[]{0.8413447460685429 + 0.24197072451914337,
                0.15865525393145707 - 0.24197072451914337, 0.5}, Buffers.toDoubles(der), 1e-15);
    }

    @Test
    void columnSums() {
        INDArray out = Nd4j.create(DataType.DOUBLE, 2);
        k.columnSums(Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}, {5, 6}}), out);
        assertArrayEquals(new double[]{9, 12}, Buffers.toDoubles(out), 0);
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        Random r = new Random(3);
        int rows = 3, d = 5;
        double[] xv = gauss(r, rows * d), gv = gauss(r, d), bv = gauss(r, d), dyv = gauss(r, rows * d);
        INDArray dx = Nd4j.create(DataType.DOUBLE, rows, d), dg = Nd4j.create(DataType.DOUBLE, d),
                db = Nd4j.create(DataType.DOUBLE, d);
        double[] mean = new double[rows], rstd = new double[rows];
        k.layerNormForward(m(xv, rows, d), m(gv, 1, d).reshape(d), m(bv, 1, d).reshape(d), 1e-6,
                Nd4j.create(DataType.DOUBLE, rows, d), mean, rstd);
        k.layerNormBackward(m(xv, rows, d), m(gv, 1, d).reshape(d), mean, rstd, m(dyv, rows, d), dx, false, dg, db);
        double h = 1e-6;
        for (int i = 0; i < xv.length; i++)
            assertEquals(numeric(xv, gv, bv, dyv, rows, d, xv, i, h), dx.getDouble(i / d, i % d), 1e-8, "dx " + i);
        for (int j = 0; j < d; j++) {
            assertEquals(numeric(xv, gv, bv, dyv, rows, d, gv, j, h), dg.getDouble(j), 1e-8, "dgamma " + j);
            assertEquals(numeric(xv, gv, bv, dyv, rows, d, bv, j, h), db.getDouble(j), 1e-8, "dbeta " + j);
        }
        // accumulate adds onto what is there
        INDArray acc = Nd4j.ones(DataType.DOUBLE, rows, d);
        k.layerNormBackward(m(xv, rows, d), m(gv, 1, d).reshape(d), mean, rstd, m(dyv, rows, d), acc, true, dg, db);
        assertArrayEquals(Buffers.toDoubles(dx.add(1)), Buffers.toDoubles(acc), 1e-15);
    }

    /** d/dp of sum(dy * LN(x)) by central differences, perturbing element i of {@code p} (one of x, g, b). */
    private double numeric(double[] x, double[] g, double[] b, double[] dy, int rows, int d, double[] p, int i, double h) {
        double keep = p[i];
        p[i] = keep + h;
        double plus = lnDot(x, g, b, dy, rows, d);
        p[i] = keep - h;
        double minus = lnDot(x, g, b, dy, rows, d);
        p[i] = keep;
        return (plus - minus) / (2 * h);
    }

    private double lnDot(double[] x, double[] g, double[] b, double[] dy, int rows, int d) {
        INDArray y = Nd4j.create(DataType.DOUBLE, rows, d);
        k.layerNormForward(m(x, rows, d), m(g, 1, d).reshape(d), m(b, 1, d).reshape(d), 1e-6, y,
                new double[rows], new double[rows]);
        double s = 0;
        double[] yv = Buffers.toDoubles(y);
        for (int i = 0; i < yv.length; i++) s += yv[i] * dy[i];
        return s;
    }

    private static INDArray m(double[] v, int rows, int cols) {
        return Nd4j.createFromArray(v.clone()).reshape('c', rows, cols);
    }

    private static double[] gauss(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return v;
    }
}
