package io.vitlens.analysis;

import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;

/**
 * One checkpoint to analyse whose weights are loaded only when its turn comes: the analysis of a long run
 * (20-40 checkpoints) then holds one graph at a time instead of all of them.
 */
public interface CheckpointSource {

    /** e.g. {@code epoch-000}. */
    String name();

    /** Training epochs completed; 0 marks the untrained baseline. */
    int epoch();

    /** The architecture, known without loading the weights. */
    ViTConfig config();

    /** Per-channel mean/std the model was trained with (for the analysis images), or null when unknown. */
    Normalization normalization();

    /** Loads the weights; the caller closes the result before loading the next source. */
    LoadedCheckpoint load();

    /** A model already in memory: loading hands it out, releasing it is left to whoever made it. */
    static CheckpointSource inMemory(AnalysisInput input) {
        return new CheckpointSource() {
            @Override public String name() { return input.checkpointName(); }
            @Override public int epoch() { return input.epoch(); }
            @Override public ViTConfig config() { return input.model().config(); }
            @Override public Normalization normalization() { return null; }
            @Override public LoadedCheckpoint load() { return new LoadedCheckpoint(input.model(), () -> { }); }
        };
    }
}
