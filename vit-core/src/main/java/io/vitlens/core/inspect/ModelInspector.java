package io.vitlens.core.inspect;

import io.vitlens.core.ViTConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Read access to a ViT's internals for the analysis, so that nothing outside vit-core
 * re-implements the model. All arrays returned are fresh copies (detached from workspaces).
 */
public interface ModelInspector {

    ViTConfig config();

    /**
     * The position embeddings added to the patch tokens, CLS excluded: [N, D], token t = r*g + c.
     * learned: rows 1..N of pos_embed; learned-2d: row[r] + col[c]; sincos2d: the fixed table;
     * none: null.
     */
    INDArray patchPositionEmbeddings();

    /** Forward pass in inference mode over normalised images [B, C, S, S], recording every block. */
    ForwardTrace trace(INDArray images);

    /**
     * Per-head queries and keys of block {@code layer} for given token representations entering that
     * block (before LN1): q = LN1(x) W_Q^h + b_Q^h, k likewise. Input [T', D]; returns
     * {q, k}, each [H, T', d].
     */
    INDArray[] queriesAndKeys(int layer, INDArray tokens);

    /** The head's query weight slice in timm layout, rows h*d..h*d+d-1 of W_qkv: [d, D]. */
    INDArray queryWeight(int layer, int head);

    /** The head's key weight slice in timm layout, rows D+h*d..D+h*d+d-1 of W_qkv: [d, D]. */
    INDArray keyWeight(int layer, int head);
}
