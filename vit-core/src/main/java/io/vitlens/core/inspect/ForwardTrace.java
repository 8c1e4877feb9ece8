package io.vitlens.core.inspect;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * What one inference pass recorded.
 *
 * @param blockInputs token representations entering each block l = 0..L-1: [B, T, D] each
 *                    (block 0's input is patch embedding + CLS + position embedding)
 * @param attention   each block's attention weights after softmax: [B, H, T, T] each, rows sum to 1
 * @param logits      [B, K]
 */
public record ForwardTrace(List<INDArray> blockInputs, List<INDArray> attention, INDArray logits) {
}
