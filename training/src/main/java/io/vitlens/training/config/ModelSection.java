package io.vitlens.training.config;

import io.vitlens.core.InvalidFieldException;
import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;

import java.util.function.Supplier;

/**
 * The {@code model:} section of an experiment YAML, as written (variants by their ids); {@link #DEFAULTS} is the
 * tiny CIFAR ViT. Validated on construction: every refused value is named by its YAML key.
 */
public record ModelSection(int imageSize, int channels, int patchSize, int dim, int depth, int heads, int mlpDim,
                           int numClasses, double dropout, double dropPath, String posEmbedding, String pooling,
                           String valueProjection, boolean tieQk) {

    /** The values of the keys a YAML {@code model:} section leaves out. */
    public static final ModelSection DEFAULTS = new ModelSection(32, 3, 4, 128, 6, 4, 256, 10, 0.0, 0.0,
            PosEmbedding.LEARNED.id(), Pooling.CLS.id(), ValueProjection.LEARNED.id(), false);

    public ModelSection {
        vit(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath, posEmbedding,
                pooling, valueProjection, tieQk);
    }

    /** The architecture this section describes. */
    public ViTConfig vit() {
        return vit(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath, posEmbedding,
                pooling, valueProjection, tieQk);
    }

    /** The section that writes {@code c} back. */
    public static ModelSection from(ViTConfig c) {
        return new ModelSection(c.imageSize(), c.channels(), c.patchSize(), c.dim(), c.depth(), c.heads(), c.mlpDim(),
                c.numClasses(), c.dropout(), c.dropPath(), c.posEmbedding().id(), c.pooling().id(),
                c.valueProjection().id(), c.tieQk());
    }

    private static ViTConfig vit(int imageSize, int channels, int patchSize, int dim, int depth, int heads, int mlpDim,
                                 int numClasses, double dropout, double dropPath, String posEmbedding, String pooling,
                                 String valueProjection, boolean tieQk) {
        PosEmbedding pe = parse("posEmbedding", () -> PosEmbedding.parse(posEmbedding));
        Pooling pool = parse("pooling", () -> Pooling.parse(pooling));
        ValueProjection vp = parse("valueProjection", () -> ValueProjection.parse(valueProjection));
        try {
            return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout,
                    dropPath, pe, pool, vp, tieQk);
        } catch (InvalidFieldException e) {
            throw new ConfigException(e.message(c -> YamlKeys.of("model", c)), e);
        }
    }

    private static <T> T parse(String component, Supplier<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(YamlKeys.of("model", component) + ": " + e.getMessage(), e);
        }
    }
}
