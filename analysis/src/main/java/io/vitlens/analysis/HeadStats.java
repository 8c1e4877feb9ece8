package io.vitlens.analysis;

import java.util.Map;

/**
 * Statistics of one attention head of one checkpoint (claims C5, C6, C7, C9, C10); the names
 * of claims.md are fixed. Layers and heads are 0-based (timm's blocks.{layer}). "Patch keys"
 * excludes CLS; offsets (dr, dc) are key minus query: (r_j - r_i, c_j - c_i).
 *
 * @param meanAttentionDistancePx per patch query i: sum_j A_ij d_ij / sum_j A_ij over patch keys j
 *                                (pixels); mean over patch queries and images
 * @param entropy                 -sum_j A_ij ln A_ij over the full row (CLS key included), mean over patch
 *                                queries and images
 * @param localMass               attention on patch keys with Chebyshev distance &lt;= 1 (the query included)
 * @param rowMass                 attention on patch keys in the query's grid row
 * @param columnMass              attention on patch keys in the query's grid column
 * @param clsMass                 attention on the CLS key
 * @param positionalShare         population variance of the image-mean patch-to-patch map over its N^2 entries,
 *                                divided by the population variance of the per-image maps over images and entries
 *                                together; null (NaN) when the latter is 0
 * @param asymmetry               ||A - A^T||_F / ||A||_F of the patch-to-patch block, mean over images
 * @param qkCosineRho             Spearman rho of cos(q_i, k_j) vs grid distance over all ordered patch pairs, i = j included
 * @param qkCosineSlope           least-squares slope of cos(q_i, k_j) against grid distance (per patch unit), same pairs
 * @param qkCosineAtOffset        mean cos(q_i, k_j) over ordered pairs at offset "dr,dc"
 * @param qkPrincipalAnglesDeg    principal angles (degrees, ascending) between the row spaces of W_Q^h and W_K^h
 * @param qkPrincipalAngleMeanDeg mean of {@code qkPrincipalAnglesDeg}
 * @param attentionAtOffset       mean A_ij over images, patch queries and patch keys at offset "dr,dc"
 * @param type                    head type from the stated rules (see {@link HeadTypeRules})
 */
public record HeadStats(int layer, int head, double meanAttentionDistancePx, double entropy, double localMass,
                        double rowMass, double columnMass, double clsMass, double positionalShare, double asymmetry,
                        double qkCosineRho, double qkCosineSlope, Map<String, Double> qkCosineAtOffset,
                        double[] qkPrincipalAnglesDeg, double qkPrincipalAngleMeanDeg,
                        Map<String, Double> attentionAtOffset, String type) {
}
