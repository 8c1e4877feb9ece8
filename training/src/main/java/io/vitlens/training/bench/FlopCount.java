package io.vitlens.training.bench;

import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;

/**
 * Floating-point operations of one image's forward pass, counting a multiply-add as 2 and only the
 * matrix products (LayerNorm, softmax, GELU and residuals are O(T*D) and below 1% here). Training is
 * counted as 3x forward (backward = two products per forward product), the usual convention.
 */
public final class FlopCount {
    private FlopCount() {}

    public static double forwardPerImage(ViTConfig c) {
        double t = c.numTokens(), d = c.dim(), m = c.mlpDim(), n = c.numPatches();
        double patch = 2 * n * c.patchLength() * d;
        int projections = 1 + (c.tieQk() ? 0 : 1) + (c.valueProjection() == ValueProjection.LEARNED ? 1 : 0);
        double qkv = 2 * t * d * d * projections;
        double scores = 2 * t * t * d;          // H heads x T x T x d
        double mixing = 2 * t * t * d;          // A V
        double proj = 2 * t * d * d;
        double mlp = 2 * 2 * t * d * m;
        double head = 2 * d * c.numClasses();
        return patch + c.depth() * (qkv + scores + mixing + proj + mlp) + head;
    }

    public static double trainPerImage(ViTConfig c) {
        return 3 * forwardPerImage(c);
    }
}
