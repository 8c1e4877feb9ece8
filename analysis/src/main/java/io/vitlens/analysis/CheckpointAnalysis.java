package io.vitlens.analysis;

import java.util.List;

/**
 * Everything measured on one checkpoint.
 *
 * @param checkpoint              checkpoint name, e.g. {@code epoch-000}
 * @param epoch                   training epochs completed (0 = initialisation)
 * @param images                  analysis images used for the attention statistics
 * @param positionEmbedding       C1/C2 numbers; null when the model has no position embedding
 * @param positionEmbeddingReason why {@code positionEmbedding} is null; null otherwise
 * @param heads                   one entry per (layer, head), layer-major
 * @param layers                  per-layer summaries
 * @param maxRowSumDeviation      max |sum_j A_ij - 1| over every attention row of every head and image (C10)
 * @param meanAsymmetry           mean of the heads' asymmetry (C9, C10)
 * @param meanQkPrincipalAngleDeg mean over heads of the mean principal angle between W_Q and W_K (C9)
 * @param meanAttentionDistanceDepthRho Spearman rho of head mean attention distance against layer index over
 *                                all heads (C7); null for a single layer
 */
public record CheckpointAnalysis(String checkpoint, int epoch, int images, PositionEmbeddingStats positionEmbedding,
                                 String positionEmbeddingReason, List<HeadStats> heads, List<LayerSummary> layers,
                                 double maxRowSumDeviation, double meanAsymmetry, double meanQkPrincipalAngleDeg,
                                 double meanAttentionDistanceDepthRho) {
}
