package io.vitlens.training.checkpoint;

import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;

/** A loaded checkpoint: the DL4J graph (with updater state) and its metadata. */
public record Checkpoint(Path file, CheckpointMeta meta, ComputationGraph graph) {

    public ExperimentConfig config() {
        return ConfigLoader.bind(meta.config(), file + " (stored config)");
    }

    public ViTConfig vit() { return config().vit(); }

    public Normalization normalization() {
        return new Normalization(meta.mean(), meta.std(), meta.classNames());
    }

    /** Canonical file name of the checkpoint after {@code epoch} epochs, e.g. {@code epoch-003.zip}. */
    public static String fileName(int epoch) { return String.format("epoch-%03d.zip", epoch); }
}
