/**
 * The portable engine's building blocks: LayerNorm, exact GELU, linear layers, softmax and multi-head
 * attention, forward and backward, written with ND4J / libnd4j ops only, so they run on whichever ND4J
 * backend is loaded (CPU or CUDA) without reading array memory from Java. The layers in
 * {@code model.layers} call them when {@link io.vitlens.core.model.layers.Engine#PORTABLE} is chosen.
 */
package io.vitlens.core.model.portable;
