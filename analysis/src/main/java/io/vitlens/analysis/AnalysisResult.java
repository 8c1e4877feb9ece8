package io.vitlens.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The whole analysis of one run: what analysis.json holds (schema in analysis/README.md).
 *
 * @param schemaVersion                 bumped when a field changes meaning
 * @param model                         the architecture of the analysed checkpoints (those of the last one)
 * @param images                        analysis images (the first n of the split, file order)
 * @param uniformAttentionMeanDistancePx mean attention distance of uniform attention on this grid (yardstick)
 * @param headTypeRules                 the head taxonomy's thresholds and rule order
 * @param checkpoints                   analysed checkpoints in ascending epoch order
 * @param claims                        verdicts on C1..C12
 * @param gradientFlow                  gradient norms from metrics.jsonl; null when not available
 * @param gradientFlowReason            why {@code gradientFlow} is null; null otherwise
 * @param exampleImages                 per-image attention of a few fixed test images; null when none were asked for
 */
public record AnalysisResult(int schemaVersion, ModelSummary model, int images, double uniformAttentionMeanDistancePx,
                             HeadTypeRules headTypeRules, List<CheckpointAnalysis> checkpoints,
                             List<ClaimVerdict> claims, GradientFlowStats gradientFlow, String gradientFlowReason,
                             ExampleImages exampleImages) {

    public static final int SCHEMA_VERSION = 1;

    /** The same result with {@code exampleImages} replaced (e.g. once their figures are written). */
    public AnalysisResult withExampleImages(ExampleImages e) {
        return new AnalysisResult(schemaVersion, model, images, uniformAttentionMeanDistancePx, headTypeRules, checkpoints,
                claims, gradientFlow, gradientFlowReason, e);
    }

    /** The checkpoint at initialisation (epoch 0), if analysed. */
    public Optional<CheckpointAnalysis> baseline() {
        return checkpoints.stream().filter(c -> c.epoch() == 0).findFirst();
    }

    /** The last analysed checkpoint (highest epoch). */
    public CheckpointAnalysis last() { return checkpoints.get(checkpoints.size() - 1); }

    /** The verdict on claim {@code id}, if present. */
    public Optional<ClaimVerdict> claim(String id) {
        return claims.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
