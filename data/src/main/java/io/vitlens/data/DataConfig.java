package io.vitlens.data;

import io.vitlens.core.InvalidFieldException;

import java.nio.file.Path;

/**
 * What to load and how to batch it. Immutable and validated on construction; Jackson maps a YAML
 * {@code data:} block onto it through the record components.
 *
 * @param dataset            one of {@link DatasetKind#ids()}
 * @param dataDir            directory or archive to read; {@code null} means the dataset's default
 *                           location ({@link Datasets#defaultLocation}); ignored by synthetic-shapes
 * @param imageSize          side S of the square images the model sees; image-folder resizes to it,
 *                           synthetic-shapes generates at it, the fixed-size datasets must match it
 * @param batchSize          images per mini-batch B
 * @param validationFraction fraction of the training pool held out (stratified) as VALIDATION; 0 = none
 * @param seed               seed of the validation split, the per-epoch shuffle and augmentation
 * @param augmentation       training augmentation; {@code null} means {@link Augmentation#none()}
 * @param synthetic          synthetic-shapes parameters; {@code null} means {@link SyntheticSpec#defaults()}
 * @param skipBadFiles       skip (and count in {@link DataSummary#skipped()}) undecodable images and bad
 *                           records instead of failing
 */
public record DataConfig(String dataset, Path dataDir, int imageSize, int batchSize, double validationFraction,
                         long seed, Augmentation augmentation, SyntheticSpec synthetic, boolean skipBadFiles) {

    /** Largest side accepted: a guard against a typo allocating gigabytes per image. */
    public static final int MAX_IMAGE_SIZE = 1024;

    /** Messages name the fields as {@code data.<component>}. */
    private static final String SECTION = "data";

    public DataConfig {
        if (dataset == null)
            throw new IllegalArgumentException("data.dataset: missing, expected one of " + DatasetKind.ids());
        DatasetKind kind = DatasetKind.of(dataset);
        if (imageSize < 1 || imageSize > MAX_IMAGE_SIZE)
            throw InvalidFieldException.of(SECTION, "imageSize", imageSize + " is outside 1.." + MAX_IMAGE_SIZE);
        if (kind.nativeSize() > 0 && imageSize != kind.nativeSize())
            throw new InvalidFieldException(SECTION, "imageSize", k -> k.apply("imageSize") + ": " + imageSize + " but "
                    + dataset + " images are " + kind.nativeSize() + "x" + kind.nativeSize()
                    + " (only image-folder resizes); set " + k.apply("imageSize") + ": " + kind.nativeSize());
        if (batchSize < 1)
            throw InvalidFieldException.of(SECTION, "batchSize", batchSize + " must be >= 1");
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw InvalidFieldException.of(SECTION, "validationFraction", validationFraction + " is outside [0, 1)");
        if (kind == DatasetKind.CACHE && dataDir == null)
            throw InvalidFieldException.of(SECTION, "dataDir", "dataset 'cache' needs the cache file's path");
        augmentation = augmentation == null ? Augmentation.none() : augmentation;
        synthetic = synthetic == null ? SyntheticSpec.defaults() : synthetic;
    }

    /** The default quickstart data: synthetic shapes at 32x32, no augmentation, 10% validation. */
    public static DataConfig synthetic(int batchSize, long seed) {
        return new DataConfig(DatasetKind.SYNTHETIC_SHAPES.id(), null, 32, batchSize, 0.1, seed, null, null, false);
    }

    public DatasetKind kind() {
        return DatasetKind.of(dataset);
    }

    public DataConfig withAugmentation(Augmentation a) {
        return new DataConfig(dataset, dataDir, imageSize, batchSize, validationFraction, seed, a, synthetic, skipBadFiles);
    }

    public DataConfig withBatchSize(int b) {
        return new DataConfig(dataset, dataDir, imageSize, b, validationFraction, seed, augmentation, synthetic, skipBadFiles);
    }
}
