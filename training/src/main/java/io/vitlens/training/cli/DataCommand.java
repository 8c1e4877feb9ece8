package io.vitlens.training.cli;

import io.vitlens.data.DataConfig;
import io.vitlens.data.DataBenchmark;
import io.vitlens.data.DatasetCache;
import io.vitlens.data.Datasets;
import io.vitlens.data.LoadedDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect datasets and build binary caches.",
        subcommands = {DataCommand.Summary.class, DataCommand.Convert.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Flags shared by the data subcommands. */
    static final class Source {
        @Option(names = "--dataset", required = true, paramLabel = "NAME",
                description = "cifar10, cifar100, image-folder, fashion-mnist, mnist, synthetic-shapes, cache")
        String dataset;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory or archive (default: the dataset's usual place).")
        Path dataDir;
        @Option(names = "--image-size", paramLabel = "S", description = "Side of the images (image-folder resizes; default: the dataset's own, 32 for image folders).")
        Integer imageSize;
        @Option(names = "--skip-bad-files", description = "Skip undecodable images / bad records and count them.")
        boolean skipBad;

        DataConfig config() {
            int size = imageSize != null ? imageSize
                    : io.vitlens.data.DatasetKind.of(dataset).nativeSize() > 0 ? io.vitlens.data.DatasetKind.of(dataset).nativeSize() : 32;
            return new DataConfig(dataset, dataDir, size, 256, 0.0, 0, null, null, skipBad);
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = {"Counts per class and split, image size, channel mean/std, and the loader's images/s.",
                    "Example: vit data summary --dataset image-folder --data-dir ../shared/datasets/cifar10-jpg.tar.gz"})
    static final class Summary implements Callable<Integer> {
        @Mixin Source source;
        @Mixin CommonOptions.Debug debug;
        @Option(names = "--bench", description = "Also measure the augmented training loader's images/s.") boolean bench;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            LoadedDataset ds = Datasets.open(source.config());
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.println(ds.summary().table());
            System.out.printf(Locale.ROOT, "loaded in %.1f s%n", seconds);
            if (bench) System.out.printf(Locale.ROOT, "loader: %.0f images/s%n", DataBenchmark.imagesPerSecond(ds, 50));
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Decode a dataset once into a binary cache file that loads in seconds (use it with --dataset cache --data-dir FILE).",
                    "Example: vit data convert --dataset image-folder --data-dir ../shared/datasets/cifar10-jpg.tar.gz --out cifar10.vlc"})
    static final class Convert implements Callable<Integer> {
        @Mixin Source source;
        @Mixin CommonOptions.Debug debug;
        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "Cache file to write; use it with dataset: cache, data-dir: FILE.") Path out;

        @Override
        public Integer call() throws Exception {
            LoadedDataset ds = Datasets.open(source.config());
            DatasetCache.write(ds, out);
            System.out.println("wrote " + out + ": " + ds.summary().table().lines().findFirst().orElse(""));
            return 0;
        }
    }
}
