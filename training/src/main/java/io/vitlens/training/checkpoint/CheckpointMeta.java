package io.vitlens.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The JSON half of a checkpoint ({@code checkpoint.json} inside the zip): everything needed to rebuild and
 * continue the run besides the DL4J model itself.
 *
 * @param formatVersion checkpoint format ({@link io.vitlens.core.checkpoint.CheckpointReader}); readers refuse newer ones
 * @param epoch         epochs completed (0 = the initialisation)
 * @param step          optimiser steps completed
 * @param seed          the run's seed; data order and dropout of epoch e are derived from (seed, e)
 * @param config        the whole experiment config tree (kebab-case keys)
 * @param mean          per-channel normalisation mean the model was trained with
 * @param std           per-channel normalisation std
 * @param classNames    class names in label order
 * @param testAccuracy  top-1 accuracy on the evaluation split at this epoch, null if not evaluated
 * @param createdAt     ISO-8601 time of writing
 * @param engine        the engine the model's layers ran on when this was written, {@code fast} | {@code portable}
 *                      ({@code -Dvitlens.engine}); null (and not written) where no training ran, e.g. an import
 */
public record CheckpointMeta(int formatVersion, int epoch, long step, long seed, JsonNode config,
                             float[] mean, float[] std, List<String> classNames, Double testAccuracy,
                             String createdAt,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String engine) {
    public static final int FORMAT_VERSION = io.vitlens.core.checkpoint.CheckpointReader.FORMAT_VERSION;

    /** Without an engine (a checkpoint no training wrote). */
    public CheckpointMeta(int formatVersion, int epoch, long step, long seed, JsonNode config, float[] mean, float[] std,
                          List<String> classNames, Double testAccuracy, String createdAt) {
        this(formatVersion, epoch, step, seed, config, mean, std, classNames, testAccuracy, createdAt, null);
    }
}
