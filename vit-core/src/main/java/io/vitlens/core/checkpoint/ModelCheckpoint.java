package io.vitlens.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;

/**
 * The model part of a checkpoint, which is all that evaluation, prediction, export and analysis need: the
 * architecture, the normalisation and class names the model was trained with, and the restored DL4J graph.
 * The training state (optimiser steps, the whole experiment config) stays in {@link #meta()} for the trainer.
 *
 * @param file          the checkpoint
 * @param formatVersion its format version
 * @param epoch         epochs completed when it was written (0 = the initialisation)
 * @param vit           the architecture, from the stored config's {@code model} section
 * @param normalization per-channel mean/std and class names
 * @param graph         the restored model (with updater state when read so)
 * @param meta          {@code checkpoint.json} as stored, for the parts read by the training module
 */
public record ModelCheckpoint(Path file, int formatVersion, int epoch, ViTConfig vit, Normalization normalization,
                              ComputationGraph graph, JsonNode meta) {
}
