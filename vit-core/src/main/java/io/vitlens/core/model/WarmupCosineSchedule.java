package io.vitlens.core.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate per optimiser step: linear warmup from base/warmup to base over {@code warmupSteps}, then
 * cosine decay from base to {@code minValue} at {@code totalSteps - 1}, held after that.
 * DL4J has no cosine schedule; this one is Jackson-serialisable (shaded annotations) so it survives
 * {@code ModelSerializer}.
 *
 * <p>DL4J writes an {@code ISchedule} into {@code model.dl4j} under its Java class name, so this name is part of
 * the checkpoint format: it lives in vit-core (which every reader of a checkpoint has) and must not move or be
 * renamed. Checkpoints written before it moved here name {@code io.vitlens.training.optim.WarmupCosineSchedule};
 * {@link io.vitlens.core.checkpoint.LegacyClassNames} maps that name to this class when they are read.
 */
public final class WarmupCosineSchedule implements ISchedule {
    @JsonProperty private final double baseValue;
    @JsonProperty private final double minValue;
    @JsonProperty private final int warmupSteps;
    @JsonProperty private final int totalSteps;

    @JsonCreator
    public WarmupCosineSchedule(@JsonProperty("baseValue") double baseValue,
                                @JsonProperty("minValue") double minValue,
                                @JsonProperty("warmupSteps") int warmupSteps,
                                @JsonProperty("totalSteps") int totalSteps) {
        if (totalSteps <= 0) throw new IllegalArgumentException("totalSteps " + totalSteps + " must be > 0");
        if (warmupSteps < 0 || warmupSteps >= totalSteps)
            throw new IllegalArgumentException("warmupSteps " + warmupSteps + " must be in [0, totalSteps " + totalSteps + ")");
        this.baseValue = baseValue;
        this.minValue = minValue;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupSteps) return baseValue * (iteration + 1) / warmupSteps;
        int decaySteps = totalSteps - 1 - warmupSteps;
        if (decaySteps <= 0) return baseValue;
        double t = Math.min(1.0, (iteration - warmupSteps) / (double) decaySteps);
        return minValue + 0.5 * (baseValue - minValue) * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public ISchedule clone() { return new WarmupCosineSchedule(baseValue, minValue, warmupSteps, totalSteps); }

    @Override public boolean equals(Object o) {
        return o instanceof WarmupCosineSchedule s && s.baseValue == baseValue && s.minValue == minValue
                && s.warmupSteps == warmupSteps && s.totalSteps == totalSteps;
    }

    @Override public int hashCode() { return java.util.Objects.hash(baseValue, minValue, warmupSteps, totalSteps); }

    @Override public String toString() {
        return "WarmupCosine(base=" + baseValue + ", min=" + minValue + ", warmup=" + warmupSteps + ", total=" + totalSteps + ")";
    }
}
