package io.vitlens.analysis.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Known answers of attention rollout, worked out by hand from A' = (0.5 A + 0.5 I) / row sum. */
class AttentionRolloutTest {

    private static final double EPS = 1e-12;

    @Test
    void identityAttentionRollsOutToTheIdentityForEveryFusion() {
        int t = 5;
        double[][][][] layers = new double[3][2][][];
        for (int l = 0; l < 3; l++) for (int h = 0; h < 2; h++) layers[l][h] = AttentionRollout.identity(t);
        for (HeadFusion f : HeadFusion.values()) {
            double[][] r = AttentionRollout.rollout(layers, f);
            for (int i = 0; i < t; i++)
                for (int j = 0; j < t; j++) assertEquals(i == j ? 1.0 : 0.0, r[i][j], EPS, f + " (" + i + "," + j + ")");
        }
    }

    @Test
    void uniformAttentionOverTwoLayersGivesThreeQuartersUniformPlusAQuarterIdentity() {
        // A' = 0.5 U + 0.5 I (rows already sum to 1); U U = U, so A'^2 = 0.25 U + 0.5 U + 0.25 I
        int t = 4;
        double[][] u = new double[t][t];
        for (double[] row : u) java.util.Arrays.fill(row, 1.0 / t);
        double[][] r = AttentionRollout.rollout(new double[][][][]{{u}, {u}}, HeadFusion.MEAN);
        for (int i = 0; i < t; i++)
            for (int j = 0; j < t; j++)
                assertEquals(0.75 / t + (i == j ? 0.25 : 0), r[i][j], EPS);
    }

    @Test
    void headsThatAttendToDifferentTokensFuseAsMeanMaxAndMinSay() {
        // 3 tokens; query 0: head 0 puts everything on token 1, head 1 on token 2
        double[][] h0 = {{0, 1, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] h1 = {{0, 0, 1}, {0, 1, 0}, {0, 0, 1}};
        double[][][][] one = {{h0, h1}};
        // mean: row 0 = (0, .5, .5) -> 0.5 A + 0.5 I = (.5, .25, .25)
        assertRow(new double[]{0.5, 0.25, 0.25}, AttentionRollout.rollout(one, HeadFusion.MEAN)[0]);
        // max: (0, 1, 1) -> (.5, .5, .5) / 1.5 = 1/3 each
        assertRow(new double[]{1 / 3.0, 1 / 3.0, 1 / 3.0}, AttentionRollout.rollout(one, HeadFusion.MAX)[0]);
        // min: (0, 0, 0) -> (.5, 0, 0) / .5 = the token keeps itself
        assertRow(new double[]{1, 0, 0}, AttentionRollout.rollout(one, HeadFusion.MIN)[0]);
    }

    @Test
    void aHeadThatLooksRightShiftsTheMassOneStepPerLayer() {
        // 1 CLS + 4 patches in a row; every token looks at its right neighbour (the last at itself)
        int t = 5;
        double[][] right = new double[t][t];
        for (int i = 0; i < t; i++) right[i][Math.min(i + 1, t - 1)] = 1;
        // one layer: A' = 0.5 shift + 0.5 I -> row 1 = 0.5 at 1, 0.5 at 2
        assertRow(new double[]{0, 0.5, 0.5, 0, 0}, AttentionRollout.rollout(new double[][][][]{{right}}, HeadFusion.MEAN)[1]);
        // two layers: (0.5 S + 0.5 I)^2 = 0.25 I + 0.5 S + 0.25 S^2 -> row 1 = .25, .5, .25 at 1, 2, 3
        double[][] r = AttentionRollout.rollout(new double[][][][]{{right}, {right}}, HeadFusion.MEAN);
        assertRow(new double[]{0, 0.25, 0.5, 0.25, 0}, r[1]);
        // the last token looks at itself: it keeps all its mass
        assertRow(new double[]{0, 0, 0, 0, 1}, r[4]);
    }

    @Test
    void rolloutRowsStaySumToOne() {
        java.util.Random rnd = new java.util.Random(5);
        int t = 6;
        double[][][][] layers = new double[3][3][t][t];
        for (double[][][] l : layers)
            for (double[][] h : l)
                for (double[] row : h) {
                    double s = 0;
                    for (int j = 0; j < t; j++) s += row[j] = rnd.nextDouble();
                    for (int j = 0; j < t; j++) row[j] /= s;
                }
        for (HeadFusion f : HeadFusion.values())
            for (double[] row : AttentionRollout.rollout(layers, f)) {
                double s = 0;
                for (double v : row) s += v;
                assertEquals(1.0, s, 1e-12, f.id());
            }
    }

    @Test
    void unknownFusionNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeadFusion.parseList("mean,avg"));
        assertEquals("unknown head fusion 'avg'; known: mean, max, min", e.getMessage());
        assertEquals(java.util.List.of(HeadFusion.MAX, HeadFusion.MIN), HeadFusion.parseList("max, min,max"));
    }

    private static void assertRow(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) assertEquals(expected[j], actual[j], EPS, "column " + j);
    }
}
