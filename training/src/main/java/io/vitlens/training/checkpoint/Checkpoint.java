package io.vitlens.training.checkpoint;

import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.checkpoint.ModelCheckpoint;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;

/**
 * A loaded checkpoint: the model part as vit-core reads it ({@link ModelCheckpoint}: architecture,
 * normalisation, the DL4J graph with updater state when asked) and the training state ({@link CheckpointMeta}).
 */
public record Checkpoint(Path file, CheckpointMeta meta, ModelCheckpoint model) {

    /**
     * The stored experiment config, bound and validated as a config file is. For the trainer (resuming, the
     * optimiser check) and for defaults of the data a command runs on; the model part never needs it.
     *
     * @throws io.vitlens.training.config.ConfigException when the stored config no longer passes today's rules
     */
    public ExperimentConfig config() {
        return ConfigLoader.bind(meta.config(), file + " (stored config)");
    }

    public ComputationGraph graph() { return model.graph(); }

    public ViTConfig vit() { return model.vit(); }

    public Normalization normalization() { return model.normalization(); }

    /** Canonical file name of the checkpoint after {@code epoch} epochs, e.g. {@code epoch-003.zip}. */
    public static String fileName(int epoch) { return String.format("epoch-%03d.zip", epoch); }
}
