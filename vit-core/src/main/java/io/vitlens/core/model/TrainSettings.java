package io.vitlens.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * How a ViT graph is trained, apart from its architecture: the seed of its initialisation, the
 * optimiser, decoupled weight decay and the floating-point type.
 *
 * @param seed        seeds the parameter initialisation ({@link ViTInitializer}) and DL4J's RNG (dropout)
 * @param updater     DL4J optimiser, e.g. {@code new Adam(1e-3)}; {@code NoOp} or {@code Sgd(1.0)} for gradient checks
 * @param weightDecay decoupled weight decay coefficient (DL4J {@code WeightDecay}, applyLR = true), applied to
 *                    linear weights only, never to biases, LayerNorm parameters, CLS token or position tables
 * @param dataType    FLOAT for training and inference, DOUBLE for gradient checks
 */
public record TrainSettings(long seed, IUpdater updater, double weightDecay, DataType dataType) {

    public TrainSettings {
        if (updater == null) throw new IllegalArgumentException("train.updater: missing");
        if (!(weightDecay >= 0.0) || Double.isInfinite(weightDecay))
            throw new IllegalArgumentException("train.weightDecay: " + weightDecay + " is not a finite number >= 0");
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE)
            throw new IllegalArgumentException("train.dataType: " + dataType + " is not supported; expected FLOAT or DOUBLE");
    }

    /** For a model that is only evaluated: float, no optimiser, no weight decay. */
    public static TrainSettings inference(long seed) {
        return new TrainSettings(seed, new NoOp(), 0.0, DataType.FLOAT);
    }
}
