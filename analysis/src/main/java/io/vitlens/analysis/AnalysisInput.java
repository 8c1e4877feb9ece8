package io.vitlens.analysis;

import io.vitlens.core.inspect.ModelInspector;

/**
 * One checkpoint to analyse.
 *
 * @param checkpointName e.g. {@code epoch-000}
 * @param epoch          training epochs completed; 0 marks the untrained baseline
 * @param model          read access to the checkpoint's weights and activations
 */
public record AnalysisInput(String checkpointName, int epoch, ModelInspector model) {
    public AnalysisInput {
        if (checkpointName == null || checkpointName.isBlank())
            throw new IllegalArgumentException("checkpointName: missing");
        if (epoch < 0) throw new IllegalArgumentException("epoch of " + checkpointName + ": " + epoch + " is negative");
        if (model == null) throw new IllegalArgumentException("model of " + checkpointName + ": missing");
    }
}
