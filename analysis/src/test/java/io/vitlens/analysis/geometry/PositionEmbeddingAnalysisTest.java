package io.vitlens.analysis.geometry;

import io.vitlens.analysis.PositionEmbeddingStats;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionEmbeddingAnalysisTest {

    private static final PatchGrid GRID = new PatchGrid(8, 4);

    /**
     * Embeddings whose Gram matrix is the Gaussian kernel exp(-d^2 / 8): unit norm, so
     * cos(p_i, p_j) falls strictly with distance and rho is -1 up to rounding inside tie groups.
     */
    @Test
    void kernelEmbeddingsGiveRhoMinusOneAndMinimalPValue() {
        int n = GRID.patches();
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) k[i][j] = Math.exp(-GRID.squaredDistance(i, j) / 8.0);
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(k));
        double[][] p = new double[n][n];
        for (int m = 0; m < n; m++) {
            double lambda = Math.max(0, eig.getRealEigenvalue(m));
            double[] v = eig.getEigenvector(m).toArray();
            for (int i = 0; i < n; i++) p[i][m] = v[i] * Math.sqrt(lambda);
        }
        PositionEmbeddingStats s = new PositionEmbeddingAnalysis(GRID).analyze(p, "learned", 999, 7);
        assertTrue(s.rho() < -0.99, "rho " + s.rho());
        assertEquals(0.001, s.pValue(), 0);
        assertEquals(999, s.permutations());
        assertEquals(Math.exp(-1 / 8.0), s.cosineSimilarity()[0][1], 1e-6); // neighbours
        assertEquals(1.0, s.similarityByDistance().get(0).distance(), 0);
        assertEquals(112, s.similarityByDistance().get(0).pairs()); // 2 * 8 * 7 horizontal + vertical neighbours
        assertEquals(Math.exp(-1 / 8.0), s.similarityByDistance().get(0).meanCosine(), 1e-9);
    }

    @Test
    void linearCoordinatesGiveR2OfOne() {
        int n = GRID.patches();
        Random rnd = new Random(2);
        double[][] p = new double[n][32];
        for (int t = 0; t < n; t++) {
            p[t][0] = GRID.row(t);
            p[t][1] = GRID.col(t);
            for (int c = 0; c < 32; c++) p[t][c] += 1e-6 * rnd.nextGaussian();
        }
        PositionEmbeddingStats s = new PositionEmbeddingAnalysis(GRID).analyze(p, "learned", 99, 7);
        assertEquals(1.0, s.rowR2(), 1e-6);
        assertEquals(1.0, s.colR2(), 1e-6);
        assertEquals(8, s.components());
        assertEquals(8, s.pcaVarianceShare().length);
        // the two leading PCs are the row and column axes (in some rotation): |corr| with row and column cover them
        double r0 = s.pcaRowCorrelation()[0], c0 = s.pcaColumnCorrelation()[0];
        double r1 = s.pcaRowCorrelation()[1], c1 = s.pcaColumnCorrelation()[1];
        assertEquals(1.0, r0 * r0 + r1 * r1, 1e-6);
        assertEquals(1.0, c0 * c0 + c1 * c1, 1e-6);
    }

    @Test
    void randomEmbeddingsHaveNoStructure() {
        int n = GRID.patches();
        Random rnd = new Random(8);
        double[][] p = new double[n][128];
        for (double[] row : p) for (int c = 0; c < row.length; c++) row[c] = rnd.nextGaussian();
        PositionEmbeddingStats s = new PositionEmbeddingAnalysis(GRID).analyze(p, "learned", 999, 3);
        assertTrue(Math.abs(s.rho()) < 0.1, "rho " + s.rho());
        assertTrue(s.pValue() > 0.05, "p " + s.pValue());
        assertTrue(s.rowR2() < 0.2, "rowR2 " + s.rowR2());
        assertTrue(s.colR2() < 0.2, "colR2 " + s.colR2());
    }

    @Test
    void wrongNumberOfRowsNamesTheGrid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PositionEmbeddingAnalysis(GRID).analyze(new double[10][4], "learned", 9, 1));
        assertTrue(e.getMessage().contains("N = 64"), e.getMessage());
    }
}
