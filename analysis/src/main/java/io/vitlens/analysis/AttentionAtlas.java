package io.vitlens.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full patch-to-patch attention maps for the interactive page of the report (too large for
 * analysis.json, so they are kept apart and only embedded, quantised, in index.html).
 *
 * @param meanAttention      checkpoint name -> [L][H][N*N]: the image-mean patch-to-patch block, row = query patch
 *                           (the Abar of the positional share), for the checkpoints that fit the page's budget
 * @param exampleCheckpoint  the checkpoint of {@code exampleAttention}, or null
 * @param exampleAttention   [image][L][H][N*N] the patch-to-patch block of each example image, or null
 */
public record AttentionAtlas(Map<String, float[][][]> meanAttention, String exampleCheckpoint,
                             float[][][][] exampleAttention) {

    public static AttentionAtlas empty() { return new AttentionAtlas(new LinkedHashMap<>(), null, null); }
}
