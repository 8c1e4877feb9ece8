package io.vitlens.analysis.claims;

import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.LayerSummary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.vitlens.analysis.claims.Fmt.num;
import static io.vitlens.analysis.claims.Fmt.orNull;

/** Verdicts on the per-head claims C5 (Q/K alignment), C6 (specialisation), C7 (depth), C9 (Q/K subspaces), C10 (mechanics). */
final class HeadClaims {

    static final double C5_MAX_RHO = -0.2;
    static final double C5_MIN_DROP = 0.1;
    static final int C6_MIN_TYPES = 2;
    static final double C9_MIN_ANGLE_DEG = 30.0;
    static final double C9_MIN_ASYMMETRY = 0.1;
    /** C7: the last layer must exceed the first by at least this many patches (in pixels: x P), so noise does not count. */
    static final double C7_MIN_GROWTH_PATCHES = 0.25;
    static final double C10_MAX_ROW_SUM_DEVIATION = 1e-4;
    static final double C10_MIN_ASYMMETRY = 1e-6;

    private final Optional<CheckpointAnalysis> trained;
    private final Optional<CheckpointAnalysis> baseline;
    private final CheckpointAnalysis last;
    private final int patchSize;

    HeadClaims(Optional<CheckpointAnalysis> trained, Optional<CheckpointAnalysis> baseline, CheckpointAnalysis last,
               int patchSize) {
        this.trained = trained;
        this.baseline = baseline;
        this.last = last;
        this.patchSize = patchSize;
    }

    ClaimVerdict c5() {
        String title = "queries and keys of neighbouring positions align";
        String metric = "mean over layer-0 heads of qkCosineRho (Spearman of cos(q_i, k_j) vs grid distance)";
        if (trained.isEmpty()) return ClaimVerdict.notMeasured("C5", title, metric, noTrained());
        double value = layerMean(trained.get(), 0, HeadStats::qkCosineRho);
        Double base = baseline.map(b -> orNull(layerMean(b, 0, HeadStats::qkCosineRho))).orElse(null);
        boolean holds = value <= C5_MAX_RHO && (base == null || value <= base - C5_MIN_DROP);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("perLayerMeanRho", perLayer(trained.get(), LayerSummary::meanQkCosineRho));
        baseline.ifPresent(b -> d.put("baselinePerLayerMeanRho", perLayer(b, LayerSummary::meanQkCosineRho)));
        d.put("layer0HeadRho", trained.get().heads().stream().filter(h -> h.layer() == 0)
                .map(h -> orNull(h.qkCosineRho())).collect(Collectors.toList()));
        d.put("layer0MeanSlopePerPatch", orNull(layerMean(trained.get(), 0, HeadStats::qkCosineSlope)));
        return new ClaimVerdict("C5", title, metric, orNull(value), base, holds,
                "mean layer-0 rho = " + num(value) + " on " + trained.get().checkpoint() + baseline(base)
                        + "; holds if <= " + C5_MAX_RHO + " and at least " + C5_MIN_DROP + " below the baseline", d);
    }

    ClaimVerdict c6() {
        String title = "heads specialise into local / horizontal / vertical / global / content types";
        String metric = "number of distinct head types other than 'mixed'";
        if (trained.isEmpty()) return ClaimVerdict.notMeasured("C6", title, metric, noTrained());
        Map<String, Integer> counts = typeCounts(trained.get());
        int value = distinctTypes(counts);
        Double base = baseline.map(b -> (double) distinctTypes(typeCounts(b))).orElse(null);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("typeCounts", counts);
        baseline.ifPresent(b -> d.put("baselineTypeCounts", typeCounts(b)));
        d.put("perLayerDistanceStdPx", perLayer(trained.get(), LayerSummary::stdAttentionDistancePx));
        return new ClaimVerdict("C6", title, metric, (double) value, base, value >= C6_MIN_TYPES,
                "types on " + trained.get().checkpoint() + ": " + counts + " (" + value + " distinct)"
                        + baseline(base) + "; holds if at least " + C6_MIN_TYPES + " distinct types other than 'mixed'", d);
    }

    ClaimVerdict c7() {
        String title = "mean attention distance grows with depth";
        String metric = "Spearman rho of head mean attention distance vs layer index";
        if (trained.isEmpty()) return ClaimVerdict.notMeasured("C7", title, metric, noTrained());
        CheckpointAnalysis t = trained.get();
        if (t.layers().size() < 2) return ClaimVerdict.notMeasured("C7", title, metric, "the model has a single layer");
        List<LayerSummary> layers = t.layers();
        double first = layers.get(0).meanAttentionDistancePx();
        double lastLayer = layers.get(layers.size() - 1).meanAttentionDistancePx();
        double rho = t.meanAttentionDistanceDepthRho();
        double margin = C7_MIN_GROWTH_PATCHES * patchSize;
        boolean holds = rho > 0 && lastLayer - first >= margin;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("perLayerMeanDistancePx", perLayer(t, LayerSummary::meanAttentionDistancePx));
        d.put("perLayerDistanceStdPx", perLayer(t, LayerSummary::stdAttentionDistancePx));
        baseline.ifPresent(b -> d.put("baselinePerLayerMeanDistancePx", perLayer(b, LayerSummary::meanAttentionDistancePx)));
        Double base = baseline.map(b -> orNull(b.meanAttentionDistanceDepthRho())).orElse(null);
        return new ClaimVerdict("C7", title, metric, orNull(rho), base, holds,
                "rho = " + num(rho) + ", first layer " + num(first) + " px, last layer " + num(lastLayer) + " px on "
                        + t.checkpoint() + baseline(base) + "; holds if rho > 0 and the last layer's mean distance"
                        + " exceeds the first's by at least " + num(margin) + " px (" + C7_MIN_GROWTH_PATCHES + " patch)", d);
    }

    ClaimVerdict c9() {
        String title = "W_Q and W_K read different subspaces";
        String metric = "mean principal angle (degrees) between the row spaces of W_Q^h and W_K^h over all heads";
        if (trained.isEmpty()) return ClaimVerdict.notMeasured("C9", title, metric, noTrained());
        CheckpointAnalysis t = trained.get();
        double angle = t.meanQkPrincipalAngleDeg();
        Double base = baseline.map(b -> orNull(b.meanQkPrincipalAngleDeg())).orElse(null);
        Double baseAsymmetry = baseline.map(b -> orNull(b.meanAsymmetry())).orElse(null);
        boolean holds = angle >= C9_MIN_ANGLE_DEG && t.meanAsymmetry() >= C9_MIN_ASYMMETRY
                && (baseAsymmetry == null || t.meanAsymmetry() > baseAsymmetry);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("meanAsymmetry", orNull(t.meanAsymmetry()));
        baseline.ifPresent(b -> d.put("baselineMeanAsymmetry", orNull(b.meanAsymmetry())));
        d.put("perLayerMeanAngleDeg", perLayer(t, LayerSummary::meanQkPrincipalAngleDeg));
        return new ClaimVerdict("C9", title, metric, orNull(angle), base, holds,
                "mean angle " + num(angle) + " deg, attention asymmetry " + num(t.meanAsymmetry()) + " on "
                        + t.checkpoint() + baseline(base) + "; holds if the angle >= " + C9_MIN_ANGLE_DEG
                        + " deg (tied W_Q = W_K gives 0) and the asymmetry is >= " + C9_MIN_ASYMMETRY
                        + " and above the baseline's " + num(baseAsymmetry), d);
    }

    ClaimVerdict c10() {
        String title = "attention maps are row-stochastic and asymmetric";
        String metric = "max |sum_j A_ij - 1| over every attention row analysed";
        CheckpointAnalysis t = last;
        Double base = baseline.map(b -> orNull(b.maxRowSumDeviation())).orElse(null);
        boolean holds = t.maxRowSumDeviation() <= C10_MAX_ROW_SUM_DEVIATION && t.meanAsymmetry() > C10_MIN_ASYMMETRY;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("meanAsymmetry", orNull(t.meanAsymmetry()));
        d.put("minHeadAsymmetry", orNull(t.heads().stream().mapToDouble(HeadStats::asymmetry).min().orElse(Double.NaN)));
        d.put("shape", "[B, H, N+1, N+1] checked on every traced batch");
        return new ClaimVerdict("C10", title, metric, orNull(t.maxRowSumDeviation()), base, holds,
                "max row-sum deviation " + num(t.maxRowSumDeviation()) + ", mean asymmetry " + num(t.meanAsymmetry())
                        + " on " + t.checkpoint() + "; holds if the deviation <= " + num(C10_MAX_ROW_SUM_DEVIATION)
                        + " and the asymmetry > " + num(C10_MIN_ASYMMETRY), d);
    }

    static Map<String, Integer> typeCounts(CheckpointAnalysis c) {
        Map<String, Integer> m = new TreeMap<>();
        c.heads().forEach(h -> m.merge(h.type(), 1, Integer::sum));
        return m;
    }

    static int distinctTypes(Map<String, Integer> counts) {
        return (int) counts.keySet().stream().filter(t -> !t.equals("mixed")).count();
    }

    private static double layerMean(CheckpointAnalysis c, int layer, java.util.function.ToDoubleFunction<HeadStats> f) {
        return c.heads().stream().filter(h -> h.layer() == layer).mapToDouble(f).average().orElse(Double.NaN);
    }

    private static List<Double> perLayer(CheckpointAnalysis c, java.util.function.ToDoubleFunction<LayerSummary> f) {
        return c.layers().stream().map(l -> orNull(f.applyAsDouble(l))).collect(Collectors.toList());
    }

    private static String baseline(Double base) {
        return base == null ? " (no epoch-000 baseline)" : " vs " + num(base) + " at epoch-000";
    }

    private static String noTrained() { return "no trained checkpoint (epoch > 0) was analysed"; }
}
