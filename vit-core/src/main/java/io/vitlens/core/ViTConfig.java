package io.vitlens.core;

/**
 * The architecture of a Vision Transformer (docs/model-spec.md), validated on construction.
 *
 * <p>Dimension letters used across the project: B batch, C channels, S image side, P patch side,
 * g = S/P grid side, N = g*g patch tokens, T = N+1 tokens with CLS, D width, H heads,
 * d = D/H head dimension, M MLP width, K classes, L depth.
 *
 * @param imageSize     S, the side of the square input image in pixels
 * @param channels      C
 * @param patchSize     P, must divide {@code imageSize}
 * @param dim           D, must be divisible by {@code heads}
 * @param depth         L, number of encoder blocks
 * @param heads         H
 * @param mlpDim        M
 * @param numClasses    K
 * @param dropout       dropout after attention projection and MLP layers (training only)
 * @param dropPath      stochastic-depth rate of the last block (linearly increasing from 0)
 * @param posEmbedding  position-embedding variant
 * @param pooling       CLS token or mean of patch tokens
 * @param valueProjection learned W_V, or identity (ablation, claim C11)
 * @param tieQk         W_Q = W_K and b_Q = b_K (ablation, claims C9 / C11)
 */
public record ViTConfig(int imageSize, int channels, int patchSize, int dim, int depth, int heads,
                        int mlpDim, int numClasses, double dropout, double dropPath,
                        PosEmbedding posEmbedding, Pooling pooling, ValueProjection valueProjection,
                        boolean tieQk) {

    /** Where a config file keeps these fields; messages name them as {@code model.<component>}. */
    private static final String SECTION = "model";

    public ViTConfig {
        positive("imageSize", imageSize);
        positive("channels", channels);
        positive("patchSize", patchSize);
        positive("dim", dim);
        positive("depth", depth);
        positive("heads", heads);
        positive("mlpDim", mlpDim);
        positive("numClasses", numClasses);
        if (imageSize % patchSize != 0)
            throw new InvalidFieldException(SECTION, "patchSize", k -> k.apply("patchSize") + ": " + patchSize
                    + " does not divide " + k.apply("imageSize") + " " + imageSize + "; expected a divisor such as "
                    + divisorsHint(imageSize));
        if (dim % heads != 0)
            throw new InvalidFieldException(SECTION, "dim", k -> k.apply("dim") + ": " + dim + " is not divisible by "
                    + k.apply("heads") + " " + heads + "; expected dim = heads * headDim");
        rate("dropout", dropout);
        rate("dropPath", dropPath);
        if (posEmbedding == null) throw InvalidFieldException.of(SECTION, "posEmbedding", "missing");
        if (pooling == null) throw InvalidFieldException.of(SECTION, "pooling", "missing");
        if (valueProjection == null) throw InvalidFieldException.of(SECTION, "valueProjection", "missing");
    }

    /** A config with the defaults of the spec: learned position embedding, CLS pooling, no ablation, no dropout. */
    public static ViTConfig of(int imageSize, int channels, int patchSize, int dim, int depth, int heads,
                               int mlpDim, int numClasses) {
        return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, 0.0, 0.0,
                PosEmbedding.LEARNED, Pooling.CLS, ValueProjection.LEARNED, false);
    }

    /** g, the side of the patch grid. */
    public int gridSize() { return imageSize / patchSize; }

    /** N, the number of patch tokens. */
    public int numPatches() { return gridSize() * gridSize(); }

    /** T = N + 1, tokens including CLS. */
    public int numTokens() { return numPatches() + 1; }

    /** d = D / H. */
    public int headDim() { return dim / heads; }

    /** C * P * P, the length of one flattened patch. */
    public int patchLength() { return channels * patchSize * patchSize; }

    public ViTConfig withPosEmbedding(PosEmbedding p) {
        return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath,
                p, pooling, valueProjection, tieQk);
    }

    public ViTConfig withPooling(Pooling p) {
        return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath,
                posEmbedding, p, valueProjection, tieQk);
    }

    public ViTConfig withAblation(ValueProjection v, boolean tie) {
        return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath,
                posEmbedding, pooling, v, tie);
    }

    public ViTConfig withRegularisation(double dropout, double dropPath) {
        return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath,
                posEmbedding, pooling, valueProjection, tieQk);
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw InvalidFieldException.of(SECTION, field, v + " is not a positive integer");
    }

    private static void rate(String field, double v) {
        if (!(v >= 0.0 && v < 1.0))
            throw InvalidFieldException.of(SECTION, field, v + " is outside [0, 1)");
    }

    private static String divisorsHint(int s) {
        StringBuilder b = new StringBuilder();
        for (int p = 1; p <= s; p++) if (s % p == 0) b.append(b.length() == 0 ? "" : ", ").append(p);
        return b.toString();
    }
}
