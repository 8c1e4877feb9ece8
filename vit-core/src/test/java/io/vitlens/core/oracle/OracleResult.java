package io.vitlens.core.oracle;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * What {@link SameDiffViT#run} computes, all in {@code DataType.DOUBLE}.
 *
 * @param logits    [B, K]
 * @param loss      mean over the batch of the softmax cross-entropy against the given label rows
 * @param gradients d loss / d weight for every trainable weight, keyed and shaped like the timm
 *                  weights passed in (a fixed sincos2d {@code pos_embed} has no entry)
 * @param attention per block i, the attention pattern softmax(Q K^T / sqrt d) [B, H, T, T]
 *                  (query on axis 2, key on axis 3: every row over axis 3 sums to 1)
 */
public record OracleResult(INDArray logits, double loss, Map<String, INDArray> gradients, List<INDArray> attention) {}
