package io.vitlens.analysis.examples;

import io.vitlens.analysis.ExampleImage;
import io.vitlens.core.Pooling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The maps of one example image from its attention [L][H][T][T] (T = N + 1, CLS = token 0):
 * CLS attention per layer and head, the rollout read at the model's readout, and the attention
 * from one query patch. Pure arithmetic, so the known-answer tests can feed constructed maps.
 */
public final class ExampleImageMaps {

    private ExampleImageMaps() { }

    /**
     * @param attention  [L][H][T][T] of one image
     * @param queryPatch patch q (token q + 1)
     * @param pooling    CLS reads rollout row 0; MEAN the mean of the patch rows 1..N
     * @param displayRgb [S][S] the image for display
     */
    public static ExampleImage of(int index, double[][][][] attention, int queryPatch, List<HeadFusion> fusions,
                                  Pooling pooling, int[][] displayRgb) {
        int layers = attention.length, heads = attention[0].length, t = attention[0][0].length, n = t - 1;
        double[][][] cls = new double[layers][heads][];
        double[][][] query = new double[layers][heads][];
        double[][] clsMean = new double[layers][n];
        for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++) {
                cls[l][h] = patchKeys(attention[l][h][0]);              // [N]
                query[l][h] = patchKeys(attention[l][h][queryPatch + 1]); // [N]
                for (int j = 0; j < n; j++) clsMean[l][j] += cls[l][h][j] / heads;
            }
        Map<String, double[]> rollout = new LinkedHashMap<>();
        for (HeadFusion f : fusions) rollout.put(f.id(), readout(AttentionRollout.rollout(attention, f), pooling));
        return new ExampleImage(index, ExampleImage.encodeRgb(displayRgb), round(cls), round(clsMean), roundAll(rollout), round(query), Map.of());
    }

    /** The rollout row the classifier reads, over patch columns: [N]. */
    static double[] readout(double[][] r, Pooling pooling) {
        int n = r.length - 1;
        if (pooling == Pooling.CLS) return patchKeys(r[0]);
        double[] m = new double[n];
        for (int i = 1; i <= n; i++)
            for (int j = 0; j < n; j++) m[j] += r[i][j + 1] / n;
        return m;
    }

    /** Columns 1..N of a token row: the patch keys. */
    static double[] patchKeys(double[] row) {
        double[] out = new double[row.length - 1];
        System.arraycopy(row, 1, out, 0, out.length);
        return out;
    }

    /**
     * Display colours of one normalised image [C][S][S]: stretched by its own min and max over all
     * channels (a shared stretch keeps the colour balance); one channel is grey, more than three keep
     * the first three.
     */
    public static int[][] displayRgb(float[] chw, int channels, int size) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : chw) if (Float.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
        double span = max > min ? max - min : 1;
        int[][] rgb = new int[size][size];
        int plane = size * size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int p = 0;
                for (int c = 0; c < 3; c++) {
                    float v = chw[(channels >= 3 ? c : 0) * plane + y * size + x];
                    int b = Float.isFinite(v) ? (int) Math.round((v - min) / span * 255) : 0;
                    p = p << 8 | Math.max(0, Math.min(255, b));
                }
                rgb[y][x] = p;
            }
        return rgb;
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.round(v[i] * 1e6) / 1e6;
        return r;
    }

    private static double[][] round(double[][] v) {
        double[][] r = new double[v.length][];
        for (int i = 0; i < v.length; i++) r[i] = round(v[i]);
        return r;
    }

    private static double[][][] round(double[][][] v) {
        double[][][] r = new double[v.length][][];
        for (int i = 0; i < v.length; i++) r[i] = round(v[i]);
        return r;
    }

    private static Map<String, double[]> roundAll(Map<String, double[]> m) {
        Map<String, double[]> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(k, round(v)));
        return r;
    }
}
