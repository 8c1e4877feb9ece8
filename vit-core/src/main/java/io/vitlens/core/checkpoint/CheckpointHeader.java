package io.vitlens.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;

import java.nio.file.Path;

/**
 * A checkpoint's model part without its weights: enough to plan work on many checkpoints (architecture,
 * normalisation, epoch) before restoring any graph, so that a caller can then load them one at a time.
 *
 * @param file          the checkpoint
 * @param formatVersion its format version
 * @param epoch         epochs completed when it was written (0 = the initialisation)
 * @param vit           the architecture, from the stored config's {@code model} section
 * @param normalization per-channel mean/std and class names
 * @param meta          {@code checkpoint.json} as stored
 */
public record CheckpointHeader(Path file, int formatVersion, int epoch, ViTConfig vit, Normalization normalization,
                               JsonNode meta) {
}
