package io.vitlens.analysis.geometry;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrincipalAnglesTest {

    @Test
    void identicalWeightsGiveZeroAngles() {
        double[][] w = random(4, 16, 1);
        double[] a = PrincipalAngles.degrees(w, w);
        assertEquals(4, a.length);
        for (double x : a) assertEquals(0.0, x, 1e-4);
    }

    @Test
    void sameRowSpaceWithDifferentBasisGivesZeroAngles() {
        double[][] w = random(3, 10, 2);
        double[][] mixed = new double[3][10]; // rows: invertible combinations of w's rows
        for (int c = 0; c < 10; c++) {
            mixed[0][c] = w[0][c] + 2 * w[1][c];
            mixed[1][c] = -w[1][c] + 0.5 * w[2][c];
            mixed[2][c] = 3 * w[2][c] - w[0][c];
        }
        for (double x : PrincipalAngles.degrees(w, mixed)) assertEquals(0.0, x, 1e-4);
    }

    @Test
    void orthogonalSubspacesGiveNinetyDegrees() {
        double[][] a = {{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}};
        double[][] b = {{0, 0, 1, 0, 0}, {0, 0, 0, 2, 0}};
        double[] angles = PrincipalAngles.degrees(a, b);
        assertEquals(90.0, angles[0], 1e-9);
        assertEquals(90.0, angles[1], 1e-9);
    }

    @Test
    void knownRotationGivesItsAngleAscending() {
        double t = Math.toRadians(30);
        double[][] a = {{1, 0, 0}, {0, 1, 0}};                       // span(e1, e2)
        double[][] b = {{2, 0, 0}, {0, Math.cos(t), Math.sin(t)}};   // span(e1, e2 rotated towards e3 by 30 deg)
        double[] angles = PrincipalAngles.degrees(a, b);
        assertEquals(0.0, angles[0], 1e-6);
        assertEquals(30.0, angles[1], 1e-9);
    }

    @Test
    void mismatchedWidthsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PrincipalAngles.degrees(new double[2][3], new double[2][4]));
    }

    static double[][] random(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        double[][] w = new double[rows][cols];
        for (double[] r : w) for (int c = 0; c < cols; c++) r[c] = rnd.nextGaussian();
        return w;
    }
}
