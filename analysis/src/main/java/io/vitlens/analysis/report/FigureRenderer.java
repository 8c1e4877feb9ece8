package io.vitlens.analysis.report;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.LayerSummary;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.PositionEmbeddingStats;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders every figure of a run's report from its {@link AnalysisResult} alone (so that
 * {@code vit report} can redraw them from analysis.json files) and says where each one went,
 * as paths relative to the report directory.
 */
public final class FigureRenderer {

    /** Figures of one checkpoint; null where a figure does not apply (no position embedding). */
    public record CheckpointFigures(String checkpoint, String posSimilarity, String posComponents,
                                    String distanceVsDepth, String attentionOffset, String qkOffset) { }

    /** All figures of one run. */
    public record RunFigures(List<CheckpointFigures> checkpoints, String similarityVsDistance,
                             String evolutionPosition, String evolutionDistance, String evolutionQk,
                             String gradientNorms) {
        public List<String> all() {
            List<String> a = new ArrayList<>();
            for (CheckpointFigures c : checkpoints)
                for (String s : new String[]{c.posSimilarity(), c.posComponents(), c.distanceVsDepth(),
                        c.attentionOffset(), c.qkOffset()}) if (s != null) a.add(s);
            for (String s : new String[]{similarityVsDistance, evolutionPosition, evolutionDistance, evolutionQk,
                    gradientNorms}) if (s != null) a.add(s);
            return a;
        }
    }

    private static final int MAX_DISTANCE_CURVES = 6;

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private final Path root;
    private final String prefix; // relative folder of the figures, e.g. "figures" or "figures/run-a"

    /**
     * @param root   the report directory (index.html lives here)
     * @param prefix folder under root for the PNGs, with '/' separators
     */
    public FigureRenderer(Path root, String prefix) {
        this.root = root;
        this.prefix = prefix;
    }

    /** Every figure of every checkpoint. */
    public RunFigures render(AnalysisResult r) throws IOException { return render(r, true); }

    /**
     * @param everyCheckpoint false: per-checkpoint figures only for the baseline (epoch 0) and the last
     *                        checkpoint, as a comparison of many runs needs
     */
    public RunFigures render(AnalysisResult r, boolean everyCheckpoint) throws IOException {
        List<CheckpointFigures> per = new ArrayList<>();
        for (CheckpointAnalysis c : r.checkpoints())
            if (everyCheckpoint || c == r.last() || c.epoch() == 0) per.add(checkpoint(r, c));
        return new RunFigures(per, similarityVsDistance(r), evolutionPosition(r), evolutionDistance(r), evolutionQk(r),
                gradientNorms(r));
    }

    private CheckpointFigures checkpoint(AnalysisResult r, CheckpointAnalysis c) throws IOException {
        String dir = safe(c.checkpoint()) + "/";
        ModelSummary m = r.model();
        String sim = null, pcs = null;
        if (c.positionEmbedding() != null) {
            sim = write(dir + "pos-similarity.png", PanelGrid.render(HeatMaps.similarityGrid(c, m)));
            pcs = write(dir + "pos-components.png", PanelGrid.render(HeatMaps.components(c, m)));
        }
        return new CheckpointFigures(c.checkpoint(), sim, pcs, write(dir + "distance-vs-depth.png", distanceVsDepth(r, c)),
                write(dir + "attention-offset.png", PanelGrid.render(HeatMaps.attentionByOffset(c, m))),
                write(dir + "qk-offset.png", PanelGrid.render(HeatMaps.qkCosineByOffset(c, m))));
    }

    private byte[] distanceVsDepth(AnalysisResult r, CheckpointAnalysis c) throws IOException {
        var chart = Charts.chart("Mean attention distance per head, " + c.checkpoint(), "layer", "mean attention distance (px)",
                640, 360);
        List<Charts.Series> series = new ArrayList<>();
        int heads = r.model().heads();
        List<String> order = r.headTypeRules().order();
        for (int t = 0; t < order.size(); t++) {
            String type = order.get(t);
            List<HeadStats> hs = c.heads().stream().filter(h -> h.type().equals(type)).toList();
            if (hs.isEmpty()) continue;
            double[] x = new double[hs.size()], y = new double[hs.size()];
            for (int i = 0; i < hs.size(); i++) {
                HeadStats h = hs.get(i);
                x[i] = h.layer() + (heads > 1 ? (h.head() - (heads - 1) / 2.0) * 0.5 / heads : 0); // spread heads within a layer
                y[i] = h.meanAttentionDistancePx();
            }
            series.add(new Charts.Series(type, x, y, typeColour(type), false, true));
        }
        int layers = r.model().depth();
        series.add(new Charts.Series("uniform attention", new double[]{-0.5, layers - 0.5},
                new double[]{r.uniformAttentionMeanDistancePx(), r.uniformAttentionMeanDistancePx()},
                Charts.PALETTE[8], true, false));
        chart.getStyler().setYAxisMin(0.0);
        return Charts.png(chart, series);
    }

    private String similarityVsDistance(AnalysisResult r) throws IOException {
        List<CheckpointAnalysis> withPos = r.checkpoints().stream().filter(c -> c.positionEmbedding() != null).toList();
        if (withPos.isEmpty()) return null;
        var chart = Charts.chart("Position-embedding similarity vs grid distance", "grid distance (patches)",
                "mean cos(p_i, p_j)", 640, 360);
        List<Charts.Series> series = new ArrayList<>();
        List<CheckpointAnalysis> shown = spread(withPos, MAX_DISTANCE_CURVES);
        for (int k = 0; k < shown.size(); k++) {
            List<PositionEmbeddingStats.DistanceBin> bins = shown.get(k).positionEmbedding().similarityByDistance();
            double[] x = bins.stream().mapToDouble(PositionEmbeddingStats.DistanceBin::distance).toArray();
            double[] y = bins.stream().mapToDouble(PositionEmbeddingStats.DistanceBin::meanCosine).toArray();
            series.add(new Charts.Series(shown.get(k).checkpoint(), x, y, Charts.palette(k), true, true));
        }
        return write("similarity-vs-distance.png", Charts.png(chart, series));
    }

    private String evolutionPosition(AnalysisResult r) throws IOException {
        List<CheckpointAnalysis> withPos = r.checkpoints().stream().filter(c -> c.positionEmbedding() != null).toList();
        if (withPos.isEmpty()) return null;
        var chart = Charts.chart("Position-embedding structure over training", "epoch", "value", 640, 320);
        double[] epochs = withPos.stream().mapToDouble(CheckpointAnalysis::epoch).toArray();
        List<Charts.Series> s = List.of(
                new Charts.Series("rho (C1)", epochs, withPos.stream().mapToDouble(c -> c.positionEmbedding().rho()).toArray(),
                        Charts.palette(0), true, true),
                new Charts.Series("rowR2 (C2)", epochs, withPos.stream().mapToDouble(c -> c.positionEmbedding().rowR2()).toArray(),
                        Charts.palette(1), true, true),
                new Charts.Series("colR2 (C2)", epochs, withPos.stream().mapToDouble(c -> c.positionEmbedding().colR2()).toArray(),
                        Charts.palette(2), true, true));
        return write("evolution-position.png", Charts.png(chart, s));
    }

    private String evolutionDistance(AnalysisResult r) throws IOException {
        var chart = Charts.chart("Mean attention distance per layer over training", "epoch", "mean attention distance (px)",
                640, 320);
        return write("evolution-distance.png", Charts.png(chart, perLayerOverEpochs(r, LayerSummary::meanAttentionDistancePx)));
    }

    private String evolutionQk(AnalysisResult r) throws IOException {
        var chart = Charts.chart("Q/K cosine vs distance (mean rho per layer) over training", "epoch", "qkCosineRho",
                640, 320);
        return write("evolution-qk.png", Charts.png(chart, perLayerOverEpochs(r, LayerSummary::meanQkCosineRho)));
    }

    private static List<Charts.Series> perLayerOverEpochs(AnalysisResult r,
                                                          java.util.function.ToDoubleFunction<LayerSummary> f) {
        double[] epochs = r.checkpoints().stream().mapToDouble(CheckpointAnalysis::epoch).toArray();
        List<Charts.Series> s = new ArrayList<>();
        for (int l = 0; l < r.model().depth(); l++) {
            final int layer = l;
            double[] y = r.checkpoints().stream().mapToDouble(c -> f.applyAsDouble(c.layers().get(layer))).toArray();
            s.add(new Charts.Series("layer " + l, epochs, y, Charts.palette(l), true, true));
        }
        return s;
    }

    private String gradientNorms(AnalysisResult r) throws IOException {
        if (r.gradientFlow() == null) return null;
        return write("gradient-norms.png", gradientNormsPng(r.gradientFlow()));
    }

    /**
     * One line per parameter group on a log axis. A ViT has 3 + 3 L groups (29 at depth 9), more than a
     * fixed-height legend holds, so the chart grows with the group count until every entry fits.
     */
    static byte[] gradientNormsPng(io.vitlens.analysis.GradientFlowStats g) throws IOException {
        int groups = g.norms().size();
        var chart = Charts.chart("Gradient norms per parameter group", "epoch", "gradient norm (log scale)", 760,
                Charts.heightForLegend(420, groups));
        chart.getStyler().setYAxisLogarithmic(true);
        double[] epochs = g.epochs().stream().mapToDouble(Integer::doubleValue).toArray();
        List<Charts.Series> s = new ArrayList<>();
        List<String> undrawable = new ArrayList<>(); // no positive value: nothing to draw on a log axis
        int k = 0;
        for (Map.Entry<String, List<Double>> e : g.norms().entrySet()) {
            double[] y = e.getValue().stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
            if (java.util.Arrays.stream(y).noneMatch(v -> v > 0 && Double.isFinite(v))) undrawable.add(e.getKey());
            s.add(new Charts.Series(e.getKey(), epochs, y, Charts.palette(k++), true, true));
        }
        if (!undrawable.isEmpty()) chart.setTitle(chart.getTitle() + "; never > 0, not drawn: " + String.join(", ", undrawable));
        return Charts.png(chart, s);
    }

    /** Up to {@code max} items spread evenly over the list, first and last always included. */
    static <T> List<T> spread(List<T> all, int max) {
        if (all.size() <= max) return all;
        List<T> out = new ArrayList<>(max);
        for (int k = 0; k < max; k++) out.add(all.get((int) Math.round(k * (all.size() - 1) / (double) (max - 1))));
        return out;
    }

    static java.awt.Color typeColour(String type) {
        return switch (type) {
            case "local" -> Charts.PALETTE[0];
            case "horizontal" -> Charts.PALETTE[1];
            case "global" -> Charts.PALETTE[2];
            case "vertical" -> Charts.PALETTE[3];
            case "content" -> Charts.PALETTE[4];
            case "cls" -> Charts.PALETTE[6];
            default -> Charts.PALETTE[8];
        };
    }

    /** A file-name-safe version of a checkpoint or run name. */
    public static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    private String write(String relative, BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return write(relative, out.toByteArray());
    }

    private String write(String relative, byte[] png) throws IOException {
        String rel = prefix + "/" + relative;
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
        return rel;
    }

    static String percent(double share) { return String.format(Locale.ROOT, "%.0f%%", share * 100); }
}
