package io.vitlens.training.config;

import io.vitlens.data.Augmentation;
import io.vitlens.data.SyntheticSpec;

/**
 * The {@code data:} section of an experiment YAML. {@code augmentation} and {@code synthetic} are the data module's
 * own records, bound in place (a block left out, or {@code ~}, is {@link Augmentation#none()} /
 * {@link SyntheticSpec#defaults()}). The remaining checks need {@code model.image-size} and {@code seed}, so they
 * run where the sections meet: {@link ExperimentConfig} builds the {@link io.vitlens.data.DataConfig}.
 */
public record DataSection(String dataset, String dataDir, int batchSize, double validationFraction, boolean skipBadFiles,
                          Augmentation augmentation, SyntheticSpec synthetic) {

    /** The values of the keys a YAML {@code data:} section leaves out: the synthetic quickstart set, batches of 128. */
    public static final DataSection DEFAULTS = new DataSection("synthetic-shapes", null, 128, 0.0, false,
            Augmentation.none(), SyntheticSpec.defaults());

    public DataSection {
        if (dataDir != null && dataDir.isBlank()) dataDir = null;
        if (augmentation == null) augmentation = Augmentation.none();
        if (synthetic == null) synthetic = SyntheticSpec.defaults();
    }

    /** This section with another dataset (e.g. {@code vit import --dataset}). */
    public DataSection withDataset(String id) {
        return new DataSection(id, dataDir, batchSize, validationFraction, skipBadFiles, augmentation, synthetic);
    }
}
