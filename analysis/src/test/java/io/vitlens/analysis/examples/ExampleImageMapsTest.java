package io.vitlens.analysis.examples;

import io.vitlens.analysis.ExampleImage;
import io.vitlens.core.Pooling;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-image maps of constructed attention on a 3x3 grid (T = 10, patch t = token t + 1). */
class ExampleImageMapsTest {

    private static final int G = 3, N = 9, T = 10;

    /** Every patch looks at its right-hand neighbour (the last column at itself); CLS looks at patch {@code clsKey}. */
    private static double[][] right(int clsKey) {
        double[][] a = new double[T][T];
        a[0][clsKey + 1] = 1;
        for (int p = 0; p < N; p++) a[p + 1][(p % G < G - 1 ? p + 1 : p) + 1] = 1;
        return a;
    }

    @Test
    void aHeadThatLooksRightGivesTheQueryMapShiftedOnePatchRight() {
        double[][][][] att = {{right(4), right(0)}}; // 1 layer, 2 heads
        ExampleImage e = ExampleImageMaps.of(7, att, 3, List.of(HeadFusion.MEAN), Pooling.CLS, new int[3][3]);
        // query patch 3 = (1, 0): its right neighbour is patch 4 = (1, 1), in both heads
        double[] expected = new double[N];
        expected[4] = 1;
        assertArrayEquals(expected, e.queryAttention()[0][0], 0);
        assertArrayEquals(expected, e.queryAttention()[0][1], 0);
        // CLS: head 0 on patch 4, head 1 on patch 0; the mean of heads splits it
        assertEquals(1.0, e.clsAttention()[0][0][4], 0);
        assertEquals(1.0, e.clsAttention()[0][1][0], 0);
        assertEquals(0.5, e.clsAttentionMeanOfHeads()[0][4], 0);
        assertEquals(0.5, e.clsAttentionMeanOfHeads()[0][0], 0);
        assertEquals(7, e.index());
    }

    @Test
    void clsRolloutOfTwoRightLookingLayersSpreadsOverTheCentreRow() {
        // CLS -> patch 3 with weight 1 in both layers; patches look right.
        double[][] a = right(3);
        ExampleImage e = ExampleImageMaps.of(0, new double[][][][]{{a}, {a}}, 0, List.of(HeadFusion.MEAN), Pooling.CLS,
                new int[3][3]);
        // A' row CLS = 0.5 e_CLS + 0.5 e_p3; row p3 = 0.5 e_p3 + 0.5 e_p4; row p4 = 0.5 e_p4 + 0.5 e_p5.
        // R = A' A': CLS row = 0.5 (0.5 e_CLS + 0.5 e_p3) + 0.5 (0.5 e_p3 + 0.5 e_p4) = .25 CLS, .5 p3, .25 p4
        double[] expected = new double[N];
        expected[3] = 0.5;
        expected[4] = 0.25;
        assertArrayEquals(expected, e.rollout().get("mean"), 1e-12);
    }

    @Test
    void meanPoolingReadsTheMeanOfThePatchRows() {
        // identity attention: R = I, so the mean of patch rows puts 1/N on each patch
        double[][] id = AttentionRollout.identity(T);
        ExampleImage e = ExampleImageMaps.of(0, new double[][][][]{{id}}, 0, List.of(HeadFusion.MAX), Pooling.MEAN,
                new int[3][3]);
        double[] expected = new double[N];
        java.util.Arrays.fill(expected, 1.0 / N);
        assertArrayEquals(expected, e.rollout().get("max"), 1e-6);
        // the CLS rollout of identity attention has no patch mass at all
        ExampleImage cls = ExampleImageMaps.of(0, new double[][][][]{{id}}, 0, List.of(HeadFusion.MAX), Pooling.CLS,
                new int[3][3]);
        assertArrayEquals(new double[N], cls.rollout().get("max"), 0);
    }

    @Test
    void displayColoursStretchTheImageByItsOwnRange() {
        // 1 channel, 2x2: -1, 0, 1, 3 -> grey 0, 64, 128, 255 (x 255 / 4, rounded)
        int[][] rgb = ExampleImageMaps.displayRgb(new float[]{-1, 0, 1, 3}, 1, 2);
        assertEquals(0x000000, rgb[0][0]);
        assertEquals(0x404040, rgb[0][1]); // 63.75 -> 64
        assertEquals(0x808080, rgb[1][0]);
        assertEquals(0xffffff, rgb[1][1]);
        // 3 channels share one stretch (min 0, max 2 over all planes): r 0, g 127.5 -> 128, b 255
        assertEquals(0x0080ff, ExampleImageMaps.displayRgb(new float[]{0, 1, 2}, 3, 1)[0][0]);
    }
}
