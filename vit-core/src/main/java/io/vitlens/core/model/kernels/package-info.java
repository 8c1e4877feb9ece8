/**
 * The arithmetic under the layers: {@link io.vitlens.core.model.kernels.Blas} (OpenBLAS products on
 * sub-matrices), {@link io.vitlens.core.model.kernels.Kernels} (LayerNorm, softmax, exact GELU and bias
 * sums as fused loops, a plain double reference and a fast float version), direct buffer access and the
 * layers' array cache. Nothing here knows about DL4J layers.
 */
package io.vitlens.core.model.kernels;
