package io.vitlens.analysis;

/**
 * Knobs of the analysis. The defaults reproduce claims.md.
 *
 * @param batchSize          images per {@code trace} call; lowered automatically so that one batch's attention
 *                           maps stay under {@code maxAttentionValuesPerBatch}
 * @param maxAttentionValuesPerBatch cap on B * L * H * T * T per batch (memory bound of one trace)
 * @param permutations       random permutations for the C1 p-value (claims.md: 999)
 * @param permutationSeed    seed of those permutations
 * @param headTypes          the taxonomy thresholds of C6
 * @param c4Value            optional measured value for claim C4 (max relative difference between dL/dp_i and
 *                           sum_b dL/dX_i), e.g. from vit-core's gradient test; null = not measured here
 * @param c4Note             where C4 is verified (shown as the claim's reason)
 */
public record AnalysisOptions(int batchSize, long maxAttentionValuesPerBatch, int permutations, long permutationSeed,
                              HeadTypeRules headTypes, Double c4Value, String c4Note) {

    public static final int DEFAULT_PERMUTATIONS = 999;
    public static final long DEFAULT_SEED = 20240601L;

    public AnalysisOptions {
        if (batchSize < 1) throw new IllegalArgumentException("analysis batchSize: " + batchSize + " is not >= 1");
        if (maxAttentionValuesPerBatch < 1)
            throw new IllegalArgumentException("analysis maxAttentionValuesPerBatch: " + maxAttentionValuesPerBatch
                    + " is not >= 1");
        if (permutations < 1) throw new IllegalArgumentException("analysis permutations: " + permutations + " is not >= 1");
        if (headTypes == null) headTypes = HeadTypeRules.defaults();
        if (c4Note == null || c4Note.isBlank())
            c4Note = "not measured by the analysis: the identity dL/dp_i = sum over the batch of dL/dX_i is checked"
                    + " numerically on the real model by vit-core's unit tests";
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(100, 25_000_000L, DEFAULT_PERMUTATIONS, DEFAULT_SEED, HeadTypeRules.defaults(),
                null, null);
    }

    public AnalysisOptions withBatchSize(int b) {
        return new AnalysisOptions(b, maxAttentionValuesPerBatch, permutations, permutationSeed, headTypes, c4Value, c4Note);
    }

    public AnalysisOptions withPermutations(int p, long seed) {
        return new AnalysisOptions(batchSize, maxAttentionValuesPerBatch, p, seed, headTypes, c4Value, c4Note);
    }

    /** Reports claim C4 with a value measured elsewhere (e.g. by vit-core's gradient identity test). */
    public AnalysisOptions withC4(Double value, String note) {
        return new AnalysisOptions(batchSize, maxAttentionValuesPerBatch, permutations, permutationSeed, headTypes, value, note);
    }
}
