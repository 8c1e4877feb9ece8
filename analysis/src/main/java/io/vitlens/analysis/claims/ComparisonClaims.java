package io.vitlens.analysis.claims;

import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.LayerSummary;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.RunReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.vitlens.analysis.claims.Fmt.num;
import static io.vitlens.analysis.claims.Fmt.orNull;

/**
 * The claims that need several runs: C8 (head-count sweep: runs identical but for model.heads)
 * and C11 (qkv ablation: runs identical but for valueProjection / tieQk). Each is judged on the
 * last checkpoint of every run.
 */
public final class ComparisonClaims {

    static final double C11_MIN_ACCURACY_DROP = 0.01;

    private ComparisonClaims() { }

    public static ClaimVerdict c8(List<RunReport> runs) {
        String metric = "distinct head types (other than 'mixed') in the run with the most heads; baseline: the run"
                + " with the fewest";
        Map<List<Object>, List<RunReport>> groups = runs.stream().collect(Collectors.groupingBy(
                r -> withoutHeads(r.result().model()), LinkedHashMap::new, Collectors.toList()));
        List<RunReport> best = groups.values().stream()
                .max(Comparator.comparingLong(g -> g.stream().map(r -> r.result().model().heads()).distinct().count()))
                .orElse(List.of());
        if (best.stream().map(r -> r.result().model().heads()).distinct().count() < 2)
            return ClaimVerdict.notMeasured("C8", ClaimEvaluator.TITLE_C8, metric, "no two runs differ only in"
                    + " model.heads; run the head-count experiment (heads 1, 2, 4, 8 at fixed width) and compare them");
        List<RunReport> sorted = new ArrayList<>(best);
        sorted.sort(Comparator.comparingInt(r -> r.result().model().heads()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunReport r : sorted) {
            CheckpointAnalysis c = r.result().last();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", r.name());
            row.put("heads", r.result().model().heads());
            row.put("checkpoint", c.checkpoint());
            row.put("finalAccuracy", r.finalAccuracy());
            row.put("distinctTypes", HeadClaims.distinctTypes(HeadClaims.typeCounts(c)));
            row.put("typeCounts", HeadClaims.typeCounts(c));
            row.put("meanLayerDistanceStdPx", orNull(spread(c)));
            rows.add(row);
        }
        RunReport few = sorted.get(0), many = sorted.get(sorted.size() - 1);
        int typesFew = HeadClaims.distinctTypes(HeadClaims.typeCounts(few.result().last()));
        int typesMany = HeadClaims.distinctTypes(HeadClaims.typeCounts(many.result().last()));
        double spreadFew = spread(few.result().last()), spreadMany = spread(many.result().last());
        boolean holds = typesMany > typesFew || (typesMany == typesFew && spreadMany > spreadFew);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runs", rows);
        return new ClaimVerdict("C8", ClaimEvaluator.TITLE_C8, metric, (double) typesMany, (double) typesFew, holds,
                many.result().model().heads() + " heads (" + many.name() + "): " + typesMany + " types, spread "
                        + num(spreadMany) + " px; " + few.result().model().heads() + " heads (" + few.name() + "): "
                        + typesFew + " types, spread " + num(spreadFew) + " px; holds if the most-heads run has more"
                        + " distinct types, or as many with a larger spread of mean attention distance across heads"
                        + " (mean over layers of the per-layer std)", d);
    }

    public static ClaimVerdict c11(List<RunReport> runs) {
        String metric = "accuracy lost by the identity-V ablation; baseline: accuracy lost by the tied-Q/K ablation";
        for (RunReport full : runs) {
            ModelSummary m = full.result().model();
            if (!m.valueProjection().equals("learned") || m.tieQk()) continue;
            List<Object> key = withoutQkv(m);
            Optional<RunReport> identityV = runs.stream().filter(r -> withoutQkv(r.result().model()).equals(key)
                    && r.result().model().valueProjection().equals("identity") && !r.result().model().tieQk()).findFirst();
            Optional<RunReport> tied = runs.stream().filter(r -> withoutQkv(r.result().model()).equals(key)
                    && r.result().model().valueProjection().equals("learned") && r.result().model().tieQk()).findFirst();
            if (identityV.isEmpty() && tied.isEmpty()) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("full", geometry(full));
            identityV.ifPresent(r -> d.put("identityV", geometry(r)));
            tied.ifPresent(r -> d.put("tiedQk", geometry(r)));
            if (identityV.isEmpty())
                return new ClaimVerdict("C11", ClaimEvaluator.TITLE_C11, metric, null, null, ClaimVerdict.NOT_MEASURED,
                        "only the tied-Q/K ablation (" + tied.get().name() + ") was given; the identity-V ablation is"
                                + " needed to judge whether V carries the information", d);
            Double dropV = drop(full, identityV.get());
            Double dropQk = tied.map(t -> drop(full, t)).orElse(null);
            if (dropV == null || (tied.isPresent() && dropQk == null))
                return new ClaimVerdict("C11", ClaimEvaluator.TITLE_C11, metric, dropV, dropQk, ClaimVerdict.NOT_MEASURED,
                        "the final accuracy of a compared run is unknown; pass it to judge the ablations", d);
            boolean holds = dropV >= C11_MIN_ACCURACY_DROP && (dropQk == null || dropV > dropQk);
            return new ClaimVerdict("C11", ClaimEvaluator.TITLE_C11, metric, dropV, dropQk, holds,
                    "full model " + full.name() + " accuracy " + num(full.finalAccuracy()) + "; identity V ("
                            + identityV.get().name() + ") loses " + num(dropV)
                            + tied.map(t -> "; tied Q/K (" + t.name() + ") loses " + num(dropQk)).orElse("")
                            + "; holds if identity V loses at least " + C11_MIN_ACCURACY_DROP
                            + (tied.isPresent() ? " and more than tied Q/K" : ""), d);
        }
        return ClaimVerdict.notMeasured("C11", ClaimEvaluator.TITLE_C11, metric, "no full model with a matching"
                + " ablation run (valueProjection identity or tieQk, otherwise identical); run the qkv-ablation experiment");
    }

    private static Double drop(RunReport full, RunReport ablated) {
        if (full.finalAccuracy() == null || ablated.finalAccuracy() == null) return null;
        return full.finalAccuracy() - ablated.finalAccuracy();
    }

    private static Map<String, Object> geometry(RunReport r) {
        CheckpointAnalysis c = r.result().last();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("run", r.name());
        g.put("finalAccuracy", r.finalAccuracy());
        g.put("positionRho", c.positionEmbedding() == null ? null : orNull(c.positionEmbedding().rho()));
        g.put("meanQkPrincipalAngleDeg", orNull(c.meanQkPrincipalAngleDeg()));
        g.put("meanAsymmetry", orNull(c.meanAsymmetry()));
        g.put("layer0MeanQkCosineRho", orNull(c.heads().stream().filter(h -> h.layer() == 0)
                .mapToDouble(HeadStats::qkCosineRho).average().orElse(Double.NaN)));
        g.put("typeCounts", HeadClaims.typeCounts(c));
        return g;
    }

    /** Mean over layers of the std of head mean attention distances. */
    static double spread(CheckpointAnalysis c) {
        return c.layers().stream().mapToDouble(LayerSummary::stdAttentionDistancePx).average().orElse(Double.NaN);
    }

    private static List<Object> withoutHeads(ModelSummary m) {
        return List.of(m.imageSize(), m.channels(), m.patchSize(), m.dim(), m.depth(), m.posEmbedding(), m.pooling(),
                m.valueProjection(), m.tieQk());
    }

    private static List<Object> withoutQkv(ModelSummary m) {
        return List.of(m.imageSize(), m.channels(), m.patchSize(), m.dim(), m.depth(), m.heads(), m.posEmbedding(),
                m.pooling());
    }

}
