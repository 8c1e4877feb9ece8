/**
 * The ViT's DL4J layers, each a configuration (Jackson-serialisable, {@code ...Layer}), an implementation
 * with hand-written forward and backward passes, and parameters described by {@link
 * io.vitlens.core.model.layers.ParamSpec}s: {@link io.vitlens.core.model.layers.PatchEmbeddingLayer}
 * (images to tokens), {@link io.vitlens.core.model.layers.TransformerBlockLayer} (one pre-norm encoder
 * block) and {@link io.vitlens.core.model.layers.FinalNormPoolLayer} (final LayerNorm and pooling).
 * Tokens travel as [B, T, D] (DL4J's recurrent NWC format), so [B*T, D] is one row-major matrix.
 */
package io.vitlens.core.model.layers;
