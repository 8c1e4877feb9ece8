package io.vitlens.analysis.claims;

import io.vitlens.analysis.AnalysisOptions;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.GradientFlowStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vitlens.analysis.claims.Fmt.num;

/**
 * Turns the measurements of one run into the verdicts C1..C12. "Trained" is the last analysed
 * checkpoint when its epoch is &gt; 0; the baseline is the checkpoint of epoch 0 ({@code epoch-000}).
 * Each rule and its thresholds are stated in the verdict's reason.
 */
public final class ClaimEvaluator {

    public static final String TITLE_C4 = "the position-embedding gradient equals the token-input gradient";
    public static final String TITLE_C8 = "more heads give finer specialisation";
    public static final String TITLE_C11 = "V carries the information, Q/K choose where";
    public static final double C4_MAX_RELATIVE_ERROR = 1e-3;

    private ClaimEvaluator() { }

    /**
     * @param checkpoints analysed checkpoints, ascending epoch, at least one
     * @param patchSize   P, to state C7's margin in pixels
     * @param gradients   gradient norms from metrics.jsonl, or null
     * @param gradientsReason why {@code gradients} is null
     */
    public static List<ClaimVerdict> evaluate(List<CheckpointAnalysis> checkpoints, int patchSize, AnalysisOptions options,
                                              GradientFlowStats gradients, String gradientsReason) {
        if (checkpoints.isEmpty()) throw new IllegalArgumentException("no analysed checkpoints to judge claims on");
        CheckpointAnalysis last = checkpoints.get(checkpoints.size() - 1);
        Optional<CheckpointAnalysis> trained = last.epoch() > 0 ? Optional.of(last) : Optional.empty();
        Optional<CheckpointAnalysis> baseline = checkpoints.stream().filter(c -> c.epoch() == 0).findFirst();
        PositionClaims pos = new PositionClaims(checkpoints, trained, baseline);
        HeadClaims heads = new HeadClaims(trained, baseline, last, patchSize);
        return List.of(pos.c1(), pos.c2(), pos.c3(), c4(options), heads.c5(), heads.c6(), heads.c7(), c8(),
                heads.c9(), heads.c10(), c11(), c12(gradients, gradientsReason));
    }

    static ClaimVerdict c4(AnalysisOptions o) {
        String metric = "max relative difference between dL/dp_i and the batch sum of dL/dX_i";
        if (o.c4Value() == null) return ClaimVerdict.notMeasured("C4", TITLE_C4, metric, o.c4Note());
        boolean holds = o.c4Value() <= C4_MAX_RELATIVE_ERROR;
        return new ClaimVerdict("C4", TITLE_C4, metric, o.c4Value(), null, holds,
                "relative difference " + num(o.c4Value()) + " (" + o.c4Note() + "); holds if <= " + C4_MAX_RELATIVE_ERROR,
                Map.of());
    }

    static ClaimVerdict c8() {
        return ClaimVerdict.notMeasured("C8", TITLE_C8, "distinct head types and head-statistic spread per head count",
                "needs several runs: measured by `vit report` over the head-count experiment (runs differing only in"
                        + " model.heads, e.g. 1, 2, 4, 8)");
    }

    static ClaimVerdict c11() {
        return ClaimVerdict.notMeasured("C11", TITLE_C11, "accuracy lost by the identity-V and tied-Q/K ablations",
                "needs several runs: measured by `vit report` over the qkv-ablation experiment (valueProjection"
                        + " identity, tieQk) against the full model");
    }

    static ClaimVerdict c12(GradientFlowStats g, String reason) {
        String title = "gradients reach every parameter that should learn";
        String metric = "number of parameter groups whose gradient norm vanishes or is not finite";
        if (g == null) return ClaimVerdict.notMeasured("C12", title, metric, reason);
        int bad = g.vanishing().size() + g.nonFinite().size();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("groups", g.norms().size());
        d.put("epochs", g.epochs().size());
        d.put("vanishing", g.vanishing());
        d.put("nonFinite", g.nonFinite());
        d.put("frozen", g.frozen());
        String reason2 = g.norms().size() + " groups over " + g.epochs().size() + " logged epochs; vanishing: "
                + (g.vanishing().isEmpty() ? "none" : String.join(", ", g.vanishing()))
                + "; not finite: " + (g.nonFinite().isEmpty() ? "none" : String.join(", ", g.nonFinite()))
                + "; frozen by design: " + (g.frozen().isEmpty() ? "none" : String.join(", ", g.frozen()))
                + "; holds if no trainable group has a zero, non-finite or < " + num(g.vanishingRatio())
                + " x median norm in any epoch";
        return new ClaimVerdict("C12", title, metric, (double) bad, null, bad == 0, reason2, d);
    }
}
