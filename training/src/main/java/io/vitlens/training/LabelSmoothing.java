package io.vitlens.training;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Label smoothing as in Szegedy et al. 2016 / PyTorch's {@code CrossEntropyLoss(label_smoothing=e)}:
 * y' = (1 - e) y + e / K. DL4J's MCXENT loss accepts such soft targets directly.
 */
public final class LabelSmoothing {
    private LabelSmoothing() {}

    /** Returns a new [B, K] array; {@code labels} is left unchanged. */
    public static INDArray apply(INDArray labels, double epsilon) {
        long k = labels.size(1);
        return labels.mul(1.0 - epsilon).addi(epsilon / k);
    }
}
