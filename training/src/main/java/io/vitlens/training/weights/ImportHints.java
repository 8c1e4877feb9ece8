package io.vitlens.training.weights;

import java.util.List;

/**
 * What a weights file may lack and the user supplies on the command line (or a config): timm's files carry
 * no metadata, so the head count and the input normalisation cannot be read from them. Null = not given.
 */
public record ImportHints(Integer heads, float[] mean, float[] std, List<String> classNames, String pooling,
                          String posEmbedding, Integer imageSize) {
    public static ImportHints none() { return new ImportHints(null, null, null, null, null, null, null); }
}
