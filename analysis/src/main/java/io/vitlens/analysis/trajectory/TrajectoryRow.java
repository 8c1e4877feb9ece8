package io.vitlens.analysis.trajectory;

import java.util.Map;

/**
 * One analysed checkpoint's line of the long-schedule trajectory (issue #18). Distances are layer 0's per-head
 * mean attention distances (claims.md definition), in pixels and as a fraction of uniform attention's.
 *
 * @param checkpoint                 e.g. {@code epoch-010}
 * @param epoch                      training epochs completed
 * @param testAccuracy               top-1 test accuracy of that epoch from metrics.jsonl in [0, 1]; null when not logged
 *                                   (always for epoch-000)
 * @param c1Rho                      C1's similarity-distance Spearman rho; null without a position embedding
 * @param rowR2                      C2's leave-one-out R^2 of the row; null without a position embedding
 * @param colR2                      the same for the column
 * @param layer0MinDistancePx        smallest per-head mean attention distance in layer 0
 * @param layer0MeanDistancePx       mean over layer 0's heads of their mean attention distance
 * @param layer0MinDistanceFraction  {@code layer0MinDistancePx} / uniform attention's mean distance
 * @param layer0MeanDistanceFraction {@code layer0MeanDistancePx} / uniform attention's mean distance
 * @param headTypeCounts             heads of every layer per C6 type, every type of the taxonomy listed (0 included)
 * @param c7DepthRho                 C7's Spearman rho of head mean distance against layer; null for a single layer
 * @param layer0HeadDistancesPx      every layer-0 head's mean attention distance, by head index: the distribution
 *                                   that shows heads separating before any type rule fires
 * @param largestMass                over every head, the largest local, row, column and CLS mass and whose it is,
 *                                   in {@link LargestMass#MASSES} order: how near each mass rule of C6 is to firing
 * @param headTypeByHead             every head's C6 type, keyed {@code L<layer>H<head>} in layer-then-head order: which
 *                                   heads took which type, and from which checkpoint
 */
public record TrajectoryRow(String checkpoint, int epoch, Double testAccuracy, Double c1Rho, Double rowR2, Double colR2,
                            double layer0MinDistancePx, double layer0MeanDistancePx, double layer0MinDistanceFraction,
                            double layer0MeanDistanceFraction, Map<String, Integer> headTypeCounts, Double c7DepthRho,
                            double[] layer0HeadDistancesPx, Map<String, LargestMass> largestMass,
                            Map<String, String> headTypeByHead) {
}
