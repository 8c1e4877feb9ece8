package io.vitlens.data;

import java.util.Arrays;
import java.util.List;

/** The dataset names {@link DataConfig#dataset()} accepts, with their fixed image geometry where they have one. */
public enum DatasetKind {
    CIFAR10("cifar10", 32, 3),
    CIFAR100("cifar100", 32, 3),
    /** root/{train,test}/&lt;class&gt;/*.{png,jpg,jpeg}, any size, resized to the configured side. */
    IMAGE_FOLDER("image-folder", 0, 3),
    FASHION_MNIST("fashion-mnist", 28, 1),
    MNIST("mnist", 28, 1),
    /** Generated from a seed at any size; the quickstart and unit-test default. */
    SYNTHETIC_SHAPES("synthetic-shapes", 0, 3),
    /** A file written by {@link DatasetCache#write}; dataDir names the file. */
    CACHE("cache", 0, 0);

    private final String id;
    private final int nativeSize;
    private final int channels;

    DatasetKind(String id, int nativeSize, int channels) {
        this.id = id;
        this.nativeSize = nativeSize;
        this.channels = channels;
    }

    /** The name used in configs and on the command line. */
    public String id() { return id; }

    /** Side of the stored images, or 0 where any configured size is produced. */
    public int nativeSize() { return nativeSize; }

    /** Channels of the stored images, or 0 where it depends on the file. */
    public int channels() { return channels; }

    public static List<String> ids() {
        return Arrays.stream(values()).map(DatasetKind::id).toList();
    }

    /** @throws IllegalArgumentException naming the known datasets when {@code id} is none of them */
    public static DatasetKind of(String id) {
        for (DatasetKind k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("data.dataset: unknown dataset '" + id + "', expected one of " + ids());
    }
}
