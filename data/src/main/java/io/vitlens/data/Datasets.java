package io.vitlens.data;

import io.vitlens.data.io.CifarBinaryReader;
import io.vitlens.data.io.IdxReader;
import io.vitlens.data.io.ImageFolderReader;
import io.vitlens.data.synthetic.SyntheticShapes;

import java.io.IOException;
import java.nio.file.Path;

/** Entry point: opens the dataset a {@link DataConfig} names. */
public final class Datasets {
    /** System property overriding the folder under which default dataset locations live. */
    public static final String DATA_HOME_PROPERTY = "vitlens.dataHome";
    /** Environment variable doing the same (the property wins). */
    public static final String DATA_HOME_ENV = "VITLENS_DATA_HOME";
    /** Where the Debian package dataset-fashion-mnist installs the IDX files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private Datasets() {}

    /** Loads, splits and wraps the configured dataset. */
    public static LoadedDataset open(DataConfig cfg) throws IOException {
        return new InMemoryDataset(load(cfg), cfg);
    }

    /** Loads the source images only (no split, no statistics): what {@code vit data convert} caches. */
    public static RawDataset load(DataConfig cfg) throws IOException {
        DatasetKind kind = cfg.kind();
        Path dir = cfg.dataDir() != null ? cfg.dataDir() : defaultLocation(kind);
        return switch (kind) {
            case CIFAR10, CIFAR100 -> CifarBinaryReader.read(dir, kind, cfg.skipBadFiles());
            case FASHION_MNIST, MNIST -> IdxReader.read(dir, kind);
            case IMAGE_FOLDER -> ImageFolderReader.read(dir, cfg.imageSize(), cfg.skipBadFiles(),
                    Runtime.getRuntime().availableProcessors());
            case SYNTHETIC_SHAPES -> SyntheticShapes.generate(cfg.synthetic(), cfg.imageSize());
            case CACHE -> DatasetCache.read(dir);
        };
    }

    /**
     * Where a dataset is looked for when {@code dataDir} is not set: Fashion-MNIST in the Debian
     * package's folder, the others under {@code <data home>/<dataset>}, data home being
     * {@value #DATA_HOME_PROPERTY}, else ${@value #DATA_HOME_ENV}, else ~/.cache/vit-lens/datasets.
     * {@link DatasetFetcher} downloads to the same place.
     *
     * @throws IllegalArgumentException for datasets that have no default (image-folder, cache)
     */
    public static Path defaultLocation(DatasetKind kind) {
        return switch (kind) {
            case FASHION_MNIST -> DEBIAN_FASHION_MNIST;
            case CIFAR10, CIFAR100, MNIST -> dataHome().resolve(kind.id());
            case SYNTHETIC_SHAPES -> dataHome().resolve(kind.id());   // unused: generated in memory
            case IMAGE_FOLDER, CACHE -> throw new IllegalArgumentException("data.dataDir: dataset '" + kind.id()
                    + "' has no default location; set dataDir to its folder or file");
        };
    }

    static Path dataHome() {
        String prop = System.getProperty(DATA_HOME_PROPERTY);
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv(DATA_HOME_ENV);
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "vit-lens", "datasets");
    }
}
