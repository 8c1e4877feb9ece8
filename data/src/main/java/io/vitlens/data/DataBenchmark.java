package io.vitlens.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures how fast a dataset's training iterator delivers augmented batches ({@code vit bench} and
 * {@link #main}), to check that loading is not the bottleneck: the trainer consumes a few hundred
 * images/s on 2 cores, so the loader should deliver an order of magnitude more.
 */
public final class DataBenchmark {
    /** Timing of {@code batches} consecutive training batches after one warm-up batch. */
    public record Result(int batches, long images, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d batches, %d images in %.3f s: %.0f images/s", batches, images, seconds,
                    imagesPerSecond());
        }
    }

    private DataBenchmark() {}

    public static double imagesPerSecond(LoadedDataset ds, int batches) {
        return measure(ds, batches).imagesPerSecond();
    }

    /** Consumes {@code batches} training batches (continuing into later epochs if needed) as fast as possible. */
    public static Result measure(LoadedDataset ds, int batches) {
        if (batches < 1) throw new IllegalArgumentException("benchmark batches: " + batches + " must be >= 1");
        int epoch = 0;
        DataSetIterator it = ds.trainIterator(epoch);
        it.next();   // warm-up: starts the producer thread, JIT
        long images = 0;
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            if (!it.hasNext()) it = ds.trainIterator(++epoch);
            DataSet d = it.next();
            images += d.getFeatures().size(0);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (it instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing only stops the producer thread
            }
        }
        return new Result(batches, images, seconds);
    }

    /**
     * {@code DataBenchmark [dataset [dataDir [imageSize]]]}: loads the dataset (default synthetic-shapes),
     * then times 50 batches of 128 with crop, flip, RandAugment (2, 9) and mixup/cutmix.
     */
    public static void main(String[] args) throws IOException {
        String dataset = args.length > 0 ? args[0] : "synthetic-shapes";
        Path dir = args.length > 1 ? Path.of(args[1]) : null;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : DatasetKind.of(dataset).nativeSize() > 0
                ? DatasetKind.of(dataset).nativeSize() : 32;
        Augmentation aug = new Augmentation(4, true, true, 2, 9, 0.8, 1.0, 1.0);
        long t0 = System.nanoTime();
        DataConfig cfg = new DataConfig(dataset, dir, size, 128, 0.1, 1, aug, null, false);
        LoadedDataset ds = Datasets.open(cfg);
        System.out.printf(Locale.ROOT, "loaded in %.2f s%n%s", (System.nanoTime() - t0) / 1e9, ds.summary().table());
        System.out.println("augmented training batches: " + measure(ds, 50));
        LoadedDataset plain = new InMemoryDataset(ds.raw(), cfg.withAugmentation(Augmentation.none()));
        System.out.println("plain training batches: " + measure(plain, 50));
    }
}
