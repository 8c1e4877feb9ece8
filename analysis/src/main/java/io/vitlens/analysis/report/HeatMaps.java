package io.vitlens.analysis.report;

import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.PositionEmbeddingStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the {@link PanelGrid} specs of the heat-map figures from a checkpoint's numbers. */
final class HeatMaps {

    private HeatMaps() { }

    /** The g x g grid of g x g maps: panel (r, c) shows cos(p_(r,c), p_j) for every patch j (ViT paper, Fig. 7). */
    static PanelGrid.Spec similarityGrid(CheckpointAnalysis c, ModelSummary m) {
        int g = m.gridSize();
        double[][] cos = c.positionEmbedding().cosineSimilarity(); // [N][N]
        double[][][][] panels = new double[g][g][][];
        int[][][] centres = new int[g][g][];
        for (int r = 0; r < g; r++)
            for (int col = 0; col < g; col++) {
                panels[r][col] = reshape(cos[r * g + col], g);
                centres[r][col] = new int[]{r, col};
            }
        return new PanelGrid.Spec("Position-embedding cosine similarity, " + c.checkpoint()
                + " (panel = query patch, red = itself)", panels, null, null, PanelGrid.Scale.SHARED, -1, 1, false,
                "cos(p_i, p_j)", false, centres, null);
    }

    /** The first principal components of the position embeddings painted on the grid. */
    static PanelGrid.Spec components(CheckpointAnalysis c, ModelSummary m) {
        PositionEmbeddingStats p = c.positionEmbedding();
        int k = p.pcaScores().length;
        double[][][][] panels = new double[1][k][][];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            panels[0][i] = reshape(p.pcaScores()[i], m.gridSize());
            labels.add(String.format(Locale.ROOT, "PC%d %s", i + 1, FigureRenderer.percent(p.pcaVarianceShare()[i])));
        }
        String[][] captions = new String[1][k];
        for (int i = 0; i < k; i++)
            captions[0][i] = String.format(Locale.ROOT, "r %.2f c %.2f", p.pcaRowCorrelation()[i], p.pcaColumnCorrelation()[i]);
        return new PanelGrid.Spec("Leading principal components of p_i on the grid, " + c.checkpoint(), panels, null,
                labels, PanelGrid.Scale.PER_PANEL, 0, 0, true, "score / max |score| (caption: corr. with row, column)",
                false, null, captions);
    }

    /** Average attention by offset (dr, dc), one panel per layer x head, each on its own scale. */
    static PanelGrid.Spec attentionByOffset(CheckpointAnalysis c, ModelSummary m) {
        return offsetGrid(c, m, HeadStats::attentionAtOffset, PanelGrid.Scale.PER_PANEL, 0, 1,
                "Mean attention by offset (key - query), " + c.checkpoint() + "; centre = the query itself",
                "position within the panel's range (caption: type, min..max of A)", true);
    }

    /** Mean cos(q_i, k_j) by offset, one panel per layer x head, on a shared [-1, 1] scale. */
    static PanelGrid.Spec qkCosineByOffset(CheckpointAnalysis c, ModelSummary m) {
        return offsetGrid(c, m, HeadStats::qkCosineAtOffset, PanelGrid.Scale.SHARED, -1, 1,
                "Mean cos(q_i, k_j) by offset (key - query), " + c.checkpoint(), "cos(q_i, k_j) (caption: rho vs distance)",
                false);
    }

    private static PanelGrid.Spec offsetGrid(CheckpointAnalysis c, ModelSummary m,
                                             java.util.function.Function<HeadStats, Map<String, Double>> values,
                                             PanelGrid.Scale scale, double lo, double hi, String title, String bar,
                                             boolean attention) {
        int layers = m.depth(), heads = m.heads(), g = m.gridSize(), side = 2 * g - 1;
        double[][][][] panels = new double[layers][heads][][];
        String[][] captions = new String[layers][heads];
        for (HeadStats h : c.heads()) {
            double[][] p = new double[side][side];
            for (Map.Entry<String, Double> e : values.apply(h).entrySet()) {
                String[] rc = e.getKey().split(",");
                p[Integer.parseInt(rc[0].trim()) + g - 1][Integer.parseInt(rc[1].trim()) + g - 1] =
                        e.getValue() == null ? Double.NaN : e.getValue();
            }
            panels[h.layer()][h.head()] = p;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] row : p)
                for (double v : row) if (Double.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
            captions[h.layer()][h.head()] = attention
                    ? h.type() + " " + PanelGrid.fmt(min) + ".." + PanelGrid.fmt(max)
                    : String.format(Locale.ROOT, "rho %.2f", h.qkCosineRho());
        }
        List<String> rows = new ArrayList<>(), cols = new ArrayList<>();
        for (int l = 0; l < layers; l++) rows.add("layer " + l);
        for (int h = 0; h < heads; h++) cols.add("head " + h);
        return new PanelGrid.Spec(title, panels, rows, cols, scale, lo, hi, false, bar, true, null, captions);
    }

    private static double[][] reshape(double[] v, int g) {
        double[][] m = new double[g][g];
        for (int t = 0; t < v.length; t++) m[t / g][t % g] = v[t];
        return m;
    }
}
