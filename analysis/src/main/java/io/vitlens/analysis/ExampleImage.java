package io.vitlens.analysis;

import java.util.Map;

/**
 * Attention on one example image (claims.md conventions: patch j on the g x g grid, token j + 1;
 * maps run over patch keys only, so a CLS row's mass on CLS itself is left out and a map need not
 * sum to 1).
 *
 * @param index                   position of the image in the split (file order; the analysis images are the
 *                                first n)
 * @param displayRgb              [S][S] 0xRRGGBB for display: the normalised image stretched to [0, 255] by
 *                                its own min and max over all channels (one channel: grey)
 * @param clsAttention            [L][H][N] A^{l,h}_{CLS, j}: what the CLS query attends to
 * @param clsAttentionMeanOfHeads [L][N] the mean of {@code clsAttention} over heads
 * @param rollout                 {fusion: [N]} attention rollout read at the readout (CLS row for cls pooling,
 *                                mean of the patch rows for mean pooling), patch columns
 * @param queryAttention          [L][H][N] A^{l,h}_{q, j} from the chosen query patch q
 * @param figures                 {"cls", "rollout", "query"}: the PNGs under the report directory (empty before
 *                                the report is written)
 */
public record ExampleImage(int index, int[][] displayRgb, double[][][] clsAttention, double[][] clsAttentionMeanOfHeads,
                           Map<String, double[]> rollout, double[][][] queryAttention, Map<String, String> figures) {

    public ExampleImage withFigures(Map<String, String> f) {
        return new ExampleImage(index, displayRgb, clsAttention, clsAttentionMeanOfHeads, rollout, queryAttention, f);
    }
}
