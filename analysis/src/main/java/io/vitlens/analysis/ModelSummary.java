package io.vitlens.analysis;

import io.vitlens.core.ViTConfig;

/** The architecture facts the analysis and the report need, copied from {@link ViTConfig}. */
public record ModelSummary(int imageSize, int channels, int patchSize, int gridSize, int patches, int dim, int depth,
                           int heads, int headDim, String posEmbedding, String pooling, String valueProjection,
                           boolean tieQk) {

    public static ModelSummary of(ViTConfig c) {
        return new ModelSummary(c.imageSize(), c.channels(), c.patchSize(), c.gridSize(), c.numPatches(), c.dim(),
                c.depth(), c.heads(), c.headDim(), c.posEmbedding().id(), c.pooling().id(), c.valueProjection().id(),
                c.tieQk());
    }
}
