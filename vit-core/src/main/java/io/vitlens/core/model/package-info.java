/**
 * The ViT of docs/model-spec.md as a DL4J {@code ComputationGraph} of hand-written layers.
 *
 * <ul>
 * <li>{@link io.vitlens.core.model.ViTGraph} builds the graph ({@code image -> patchEmbed -> block0..
 *     -> norm -> head}); {@link io.vitlens.core.model.TrainSettings} carries seed, optimiser, weight
 *     decay and data type; {@link io.vitlens.core.model.ViTInitializer} is the timm initialisation.</li>
 * <li>{@link io.vitlens.core.model.TimmWeights} maps parameters to and from timm's state-dict names;
 *     {@link io.vitlens.core.model.ViTInspector} exposes block inputs, attention and Q/K weights to the
 *     analysis.</li>
 * <li>{@code layers}: the three layers (configuration, implementation, parameters); {@code kernels}: the
 *     BLAS products and fused elementwise loops they are built from.</li>
 * </ul>
 *
 * <p>Why hand-written layers: {@code SameDiffLayer} returns doubled gradients in DL4J 1.0.0-M2.1 and a
 * pure SameDiff ViT trains at a quarter of the speed (dl4j-notes.md).
 */
package io.vitlens.core.model;
