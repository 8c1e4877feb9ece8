package io.vitlens.analysis.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LooPcaRegressionTest {

    /** The hat-matrix shortcut against N explicit refits on PCs found by an eigen-decomposition of X^T X. */
    @Test
    void looR2EqualsExplicitLeaveOneOutRefits() {
        int n = 30, dims = 10, k = 4;
        Random rnd = new Random(4);
        double[][] x = new double[n][dims];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dims; c++) x[i][c] = rnd.nextGaussian() * (c + 1);
            y[i] = 0.5 * x[i][9] - 0.2 * x[i][8] + rnd.nextGaussian();
        }
        double r2 = new LooPcaRegression(x, k).looR2(y);

        double[][] centred = new double[n][dims];
        for (int c = 0; c < dims; c++) {
            double m = 0;
            for (double[] row : x) m += row[c];
            m /= n;
            for (int i = 0; i < n; i++) centred[i][c] = x[i][c] - m;
        }
        RealMatrix xc = new Array2DRowRealMatrix(centred);
        EigenDecomposition eig = new EigenDecomposition(xc.transpose().multiply(xc));
        double[] ev = eig.getRealEigenvalues();
        Integer[] order = new Integer[dims];
        for (int i = 0; i < dims; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
        double[][] scores = new double[n][k];
        for (int m = 0; m < k; m++) {
            double[] v = eig.getEigenvector(order[m]).toArray();
            for (int i = 0; i < n; i++) for (int c = 0; c < dims; c++) scores[i][m] += centred[i][c] * v[c];
        }
        double mean = java.util.Arrays.stream(y).average().orElseThrow(), ssTot = 0, press = 0;
        for (int i = 0; i < n; i++) {
            double[][] xs = new double[n - 1][];
            double[] ys = new double[n - 1];
            for (int j = 0, p = 0; j < n; j++) if (j != i) { xs[p] = scores[j]; ys[p++] = y[j]; }
            OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
            ols.newSampleData(ys, xs);
            double[] beta = ols.estimateRegressionParameters(); // intercept first
            double pred = beta[0];
            for (int m = 0; m < k; m++) pred += beta[m + 1] * scores[i][m];
            press += (y[i] - pred) * (y[i] - pred);
            ssTot += (y[i] - mean) * (y[i] - mean);
        }
        assertEquals(1 - press / ssTot, r2, 1e-9);
    }

    @Test
    void coordinatesStoredLinearlyAreRecoveredExactly() {
        int g = 8, n = g * g, dims = 16;
        Random rnd = new Random(1);
        double[][] p = new double[n][dims];
        double[] rows = new double[n], cols = new double[n];
        for (int t = 0; t < n; t++) {
            rows[t] = t / g;
            cols[t] = t % g;
            p[t][0] = rows[t];
            p[t][1] = cols[t];
            for (int c = 0; c < dims; c++) p[t][c] += 1e-6 * rnd.nextGaussian();
        }
        LooPcaRegression reg = new LooPcaRegression(p, 8);
        assertEquals(1.0, reg.looR2(rows), 1e-6);
        assertEquals(1.0, reg.looR2(cols), 1e-6);
        double[] share = reg.varianceShare();
        assertEquals(8, share.length);
        assertEquals(1.0, share[0] + share[1], 1e-9); // rows and columns have equal variance: two equal shares
        assertEquals(0.5, share[0], 1e-6);
        for (int m = 1; m < share.length; m++) assertTrue(share[m] <= share[m - 1]);
    }

    @Test
    void tooManyComponentsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LooPcaRegression(new double[5][3], 4));
        assertTrue(e.getMessage().contains("N - 2"), e.getMessage());
    }
}
