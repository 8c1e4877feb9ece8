package io.vitlens.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Base64;
import java.util.Map;

/**
 * Attention on one example image (claims.md conventions: patch j on the g x g grid, token j + 1;
 * maps run over patch keys only, so a CLS row's mass on CLS itself is left out and a map need not
 * sum to 1).
 *
 * @param index                   position of the image in the split (file order; the analysis images are the
 *                                first n)
 * @param displayRgb              the image for display, base64 of S x S x 3 bytes (row-major, R G B): the
 *                                normalised image stretched to [0, 255] by its own min and max over all
 *                                channels (one channel: grey); a string keeps analysis.json small
 * @param clsAttention            [L][H][N] A^{l,h}_{CLS, j}: what the CLS query attends to
 * @param clsAttentionMeanOfHeads [L][N] the mean of {@code clsAttention} over heads
 * @param rollout                 {fusion: [N]} attention rollout read at the readout (CLS row for cls pooling,
 *                                mean of the patch rows for mean pooling), patch columns
 * @param queryAttention          [L][H][N] A^{l,h}_{q, j} from the chosen query patch q
 * @param figures                 {"cls", "rollout", "query"}: the PNGs under the report directory (empty before
 *                                the report is written)
 */
public record ExampleImage(int index, String displayRgb, double[][][] clsAttention, double[][] clsAttentionMeanOfHeads,
                           Map<String, double[]> rollout, double[][][] queryAttention, Map<String, String> figures) {

    /** Encodes [S][S] 0xRRGGBB pixels as {@code displayRgb}. */
    public static String encodeRgb(int[][] px) {
        int s = px.length;
        byte[] b = new byte[s * s * 3];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                int p = px[y][x], o = (y * s + x) * 3;
                b[o] = (byte) (p >> 16);
                b[o + 1] = (byte) (p >> 8);
                b[o + 2] = (byte) p;
            }
        return Base64.getEncoder().encodeToString(b);
    }

    /** {@code displayRgb} decoded: [S][S] 0xRRGGBB. */
    @JsonIgnore
    public int[][] pixels() {
        byte[] b = Base64.getDecoder().decode(displayRgb);
        int s = (int) Math.round(Math.sqrt(b.length / 3.0));
        if (s * s * 3 != b.length) throw new IllegalArgumentException("displayRgb: " + b.length + " bytes is not S x S x 3");
        int[][] px = new int[s][s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                int o = (y * s + x) * 3;
                px[y][x] = (b[o] & 0xff) << 16 | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff);
            }
        return px;
    }

    public ExampleImage withFigures(Map<String, String> f) {
        return new ExampleImage(index, displayRgb, clsAttention, clsAttentionMeanOfHeads, rollout, queryAttention, f);
    }
}
