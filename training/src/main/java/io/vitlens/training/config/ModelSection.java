package io.vitlens.training.config;

import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;

/** The {@code model:} section of an experiment YAML; defaults are the tiny CIFAR ViT. */
public final class ModelSection {
    public int imageSize = 32;
    public int channels = 3;
    public int patchSize = 4;
    public int dim = 128;
    public int depth = 6;
    public int heads = 4;
    public int mlpDim = 256;
    public int numClasses = 10;
    public double dropout = 0.0;
    public double dropPath = 0.0;
    public String posEmbedding = "learned";
    public String pooling = "cls";
    public String valueProjection = "learned";
    public boolean tieQk = false;

    /** Validates and converts; messages name the YAML key. */
    public ViTConfig toConfig() {
        PosEmbedding pe = parse("model.pos-embedding", () -> PosEmbedding.parse(posEmbedding));
        Pooling pool = parse("model.pooling", () -> Pooling.parse(pooling));
        ValueProjection vp = parse("model.value-projection", () -> ValueProjection.parse(valueProjection));
        try {
            return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses,
                    dropout, dropPath, pe, pool, vp, tieQk);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(kebab(e.getMessage()));
        }
    }

    public static ModelSection from(ViTConfig c) {
        ModelSection m = new ModelSection();
        m.imageSize = c.imageSize();
        m.channels = c.channels();
        m.patchSize = c.patchSize();
        m.dim = c.dim();
        m.depth = c.depth();
        m.heads = c.heads();
        m.mlpDim = c.mlpDim();
        m.numClasses = c.numClasses();
        m.dropout = c.dropout();
        m.dropPath = c.dropPath();
        m.posEmbedding = c.posEmbedding().id();
        m.pooling = c.pooling().id();
        m.valueProjection = c.valueProjection().id();
        m.tieQk = c.tieQk();
        return m;
    }

    private static <T> T parse(String key, java.util.function.Supplier<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    /** ViTConfig names fields in camelCase ("model.patchSize"); the YAML spells them kebab-case. */
    static String kebab(String msg) {
        StringBuilder b = new StringBuilder();
        for (String tok : msg.split("(?<=\\s)|(?=\\s)")) {
            if (tok.startsWith("model.")) tok = tok.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            b.append(tok);
        }
        return b.toString();
    }
}
