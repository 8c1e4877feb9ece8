package io.vitlens.analysis;

import java.util.Map;

/**
 * Per-layer summary of the head statistics of one checkpoint (claims C6, C7): means over the
 * layer's heads, and the spread of mean attention distances across them (population std).
 */
public record LayerSummary(int layer, double meanAttentionDistancePx, double minAttentionDistancePx,
                           double maxAttentionDistancePx, double stdAttentionDistancePx, double meanEntropy,
                           double meanQkCosineRho, double meanQkPrincipalAngleDeg, double meanAsymmetry,
                           double maxRowSumDeviation, Map<String, Integer> typeCounts) {
}
