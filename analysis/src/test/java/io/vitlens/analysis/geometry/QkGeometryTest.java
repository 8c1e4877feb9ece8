package io.vitlens.analysis.geometry;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QkGeometryTest {

    /** One-hot q_i = k_i = e_i: cos = 1 on the diagonal and 0 elsewhere. */
    @Test
    void oneHotQueriesAndKeysAlignOnlyWithThemselves() {
        PatchGrid grid = new PatchGrid(4, 2);
        int n = grid.patches();
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) q[i][i] = 1;
        QkGeometry.Result r = new QkGeometry(grid).analyze(q, q);
        int side = grid.offsetSide(), centre = (side / 2) * side + side / 2;
        for (int o = 0; o < side * side; o++) assertEquals(o == centre ? 1.0 : 0.0, r.cosineAtOffset()[o], 0);

        double[] cos = new double[n * n], dist = new double[n * n];
        SimpleRegression reg = new SimpleRegression();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                cos[i * n + j] = i == j ? 1 : 0;
                dist[i * n + j] = grid.distance(i, j);
                reg.addData(dist[i * n + j], cos[i * n + j]);
            }
        assertEquals(new SpearmansCorrelation().correlation(cos, dist), r.rho(), 1e-12);
        assertEquals(reg.getSlope(), r.slope(), 1e-12);
    }

    /** Keys are the queries of the right-hand neighbour: cos = 1 exactly at offset (0, -1)... seen from the key. */
    @Test
    void offsetsAreKeyMinusQuery() {
        PatchGrid grid = new PatchGrid(3, 1);
        int n = grid.patches();
        double[][] q = new double[n][n], k = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1;
            int right = grid.col(i) < 2 ? i + 1 : i - 2; // wraps within the row
            k[right][i] = 1;                            // k_right == q_i
        }
        QkGeometry.Result r = new QkGeometry(grid).analyze(q, k);
        int side = grid.offsetSide();
        // pairs (i, j = right of i) at offset (0, +1): 6 of them, all cos 1 -> mean 1
        assertEquals(1.0, r.cosineAtOffset()[(0 + 2) * side + (1 + 2)], 0);
        // offset (0, -2): the wrap-around pairs (c=2 -> c=0): 3 pairs, cos 1 -> mean 1
        assertEquals(1.0, r.cosineAtOffset()[(0 + 2) * side + (-2 + 2)], 0);
        assertEquals(0.0, r.cosineAtOffset()[(0 + 2) * side + (0 + 2)], 0);
        assertEquals("0,1", grid.offsetKey((0 + 2) * side + (1 + 2)));
    }
}
