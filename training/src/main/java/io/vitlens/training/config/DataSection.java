package io.vitlens.training.config;

import io.vitlens.data.Augmentation;
import io.vitlens.data.SyntheticSpec;

/**
 * The {@code data:} section of an experiment YAML. {@code augmentation} and {@code synthetic} are the data module's
 * own records, bound in place (a block left out, or {@code ~}, is {@link Augmentation#none()} /
 * {@link SyntheticSpec#defaults()}). The remaining checks need {@code model.image-size}, {@code seed} or
 * {@code train.epochs}, so they run where the sections meet: {@link ExperimentConfig} builds the
 * {@link io.vitlens.data.DataConfig}.
 *
 * <p>{@code final-augmentation} replaces {@code augmentation} for the last {@code final-augmentation-epochs} epochs
 * (e.g. crop + flip only after RandAugment): a model trained on strongly augmented images under-fits the images it
 * is tested on, and a few epochs on lightly augmented ones at the end of the schedule close part of that gap (the
 * "close the mosaic" of detection recipes, the mixing switched off near the end of Compact Transformers' CIFAR recipe).
 * Left out ({@code null}), there is no switch.
 */
public record DataSection(String dataset, String dataDir, int batchSize, double validationFraction, boolean skipBadFiles,
                          Augmentation augmentation, SyntheticSpec synthetic, Augmentation finalAugmentation,
                          int finalAugmentationEpochs) {

    /** The values of the keys a YAML {@code data:} section leaves out: the synthetic quickstart set, batches of 128. */
    public static final DataSection DEFAULTS = new DataSection("synthetic-shapes", null, 128, 0.0, false,
            Augmentation.none(), SyntheticSpec.defaults(), null, 0);

    public DataSection {
        if (dataDir != null && dataDir.isBlank()) dataDir = null;
        if (augmentation == null) augmentation = Augmentation.none();
        if (synthetic == null) synthetic = SyntheticSpec.defaults();
        if (finalAugmentationEpochs < 0)
            throw new ConfigException("data.final-augmentation-epochs: " + finalAugmentationEpochs + " must be >= 0");
        if (finalAugmentationEpochs > 0 && finalAugmentation == null)
            throw new ConfigException("data.final-augmentation-epochs: " + finalAugmentationEpochs + " but "
                    + "data.final-augmentation is not set; give the augmentation of the last epochs (e.g. "
                    + "{crop-padding: 4, horizontal-flip: true}, or {} for none) or set the epochs to 0");
    }

    /** The augmentation of epoch {@code epoch} (1-based) of a run of {@code epochs} epochs. */
    public Augmentation augmentationAt(int epoch, int epochs) {
        return finalAugmentationEpochs > 0 && epoch > epochs - finalAugmentationEpochs ? finalAugmentation : augmentation;
    }

    /** This section with another dataset (e.g. {@code vit import --dataset}). */
    public DataSection withDataset(String id) {
        return new DataSection(id, dataDir, batchSize, validationFraction, skipBadFiles, augmentation, synthetic,
                finalAugmentation, finalAugmentationEpochs);
    }
}
