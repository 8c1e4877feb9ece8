package io.vitlens.analysis;

import java.util.List;

/**
 * Position-embedding geometry of one checkpoint (claims C1-C3); field names are fixed by
 * claims.md. Patch tokens only, CLS excluded; grid distances in patch units.
 *
 * @param kind                  the model's position-embedding variant (learned, learned-2d, sincos2d)
 * @param rho                   Spearman rho between cos(p_i, p_j) and grid distance over pairs i &lt; j
 * @param pValue                permutation p-value of rho: (1 + #{|rho_perm| &gt;= |rho|}) / (permutations + 1)
 * @param permutations          number of random permutations of the grid positions (999)
 * @param permutationSeed       seed of the java.util.Random driving the Fisher-Yates shuffles
 * @param rowR2                 leave-one-out R^2 of row r_i regressed on the first {@code components} PCs
 * @param colR2                 the same for column c_i
 * @param components            k = min(8, N - 2), the number of principal components used
 * @param pcaVarianceShare      share of the total variance of the centred embeddings carried by each of
 *                              the first k principal components (k values, descending)
 * @param pcaRowCorrelation     Pearson correlation of each of the first k PC scores with r_i
 * @param pcaColumnCorrelation  Pearson correlation of each of the first k PC scores with c_i
 * @param similarityByDistance  mean cos(p_i, p_j) over pairs i &lt; j at each distinct grid distance
 * @param cosineSimilarity      the N x N cosine-similarity matrix, rounded to 6 decimals (for figures)
 * @param pcaScores             scores of the first min(4, k) PCs per patch, [component][patch], rounded to 6 decimals
 */
public record PositionEmbeddingStats(String kind, double rho, double pValue, int permutations, long permutationSeed,
                                     double rowR2, double colR2, int components, double[] pcaVarianceShare,
                                     double[] pcaRowCorrelation, double[] pcaColumnCorrelation,
                                     List<DistanceBin> similarityByDistance, double[][] cosineSimilarity,
                                     double[][] pcaScores) {

    /** Mean cosine similarity of the {@code pairs} pairs i &lt; j at grid distance {@code distance}. */
    public record DistanceBin(double distance, double meanCosine, int pairs) { }
}
