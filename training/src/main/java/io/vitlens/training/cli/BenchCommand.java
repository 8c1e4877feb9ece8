package io.vitlens.training.cli;

import io.vitlens.core.platform.CpuFlags;
import io.vitlens.core.platform.NativeBinary;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.kernels.KernelChoice;
import io.vitlens.core.model.kernels.KernelChooser;
import io.vitlens.core.model.kernels.LinearOps;
import io.vitlens.core.model.kernels.Simd;
import io.vitlens.data.Augmentation;
import io.vitlens.data.DataBenchmark;
import io.vitlens.data.DataConfig;
import io.vitlens.data.Datasets;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.SyntheticSpec;
import io.vitlens.training.bench.MatmulCeiling;
import io.vitlens.training.bench.ModelBenchmark;
import io.vitlens.training.bench.PeakMemory;
import io.vitlens.training.bench.Stats;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training / inference / data-loader throughput and peak memory, against the machine's "
                + "measured fp32 matrix-product rate. Without --config: cifar10-vit-tiny, cifar10-vit-small and a "
                + "token-count sweep (patch 8 / 4 / 2 on 32x32). Not a test: run it on a quiet machine.",
                "Example: vit bench --batch 128 --iterations 10 --json bench.json"})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "YAML", description = "Benchmark this config's model and data only.") Path config;
    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--iterations", defaultValue = "10", description = "Timed repeats per measurement (default: ${DEFAULT-VALUE}).") int iterations;
    @Option(names = "--warmup", defaultValue = "5", description = "Untimed repeats first (default: ${DEFAULT-VALUE}; the JIT "
            + "compiles the vector kernels during the first few steps).") int warmup;
    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.") Path json;
    @Option(names = "--profile", description = "Also time each phase of the layers (products, softmax, LayerNorm, ...) "
            + "over --iterations more training steps and print milliseconds per step.") boolean profile;
    @Option(names = "--mmul-size", defaultValue = "2048", description = "Side of the square matrix product that measures the ceiling.") int mmulSize;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        if (batch <= 0 || iterations <= 0 || warmup < 0) throw new IllegalArgumentException("--batch, --iterations must be > 0, --warmup >= 0");
        Stats mmul = MatmulCeiling.gflops(mmulSize, 5);
        System.out.printf(Locale.ROOT, "ND4J fp32 gemm %d^3: median %.1f GFLOP/s (p10 %.1f, p90 %.1f)%n",
                mmulSize, mmul.median(), mmul.p10(), mmul.p90());

        Map<String, ViTConfig> models = new LinkedHashMap<>();
        ExperimentConfig dataSource;
        if (config != null) {
            ExperimentConfig c = ConfigLoader.load(config, List.of());
            models.put(c.name(), c.vit());
            dataSource = c;
        } else {
            ExperimentConfig tiny = ConfigLoader.parse(QuickstartCommand.resource("cifar10-vit-tiny"), "configs/cifar10-vit-tiny.yaml", List.of());
            ExperimentConfig small = ConfigLoader.parse(QuickstartCommand.resource("cifar10-vit-small"), "configs/cifar10-vit-small.yaml", List.of());
            models.put("cifar10-vit-tiny", tiny.vit());
            models.put("cifar10-vit-small", small.vit());
            for (int p : new int[]{8, 2}) {
                ViTConfig t = tiny.vit();
                models.put("tiny patch " + p + " (" + (32 / p) * (32 / p) + " tokens)", new ViTConfig(t.imageSize(), t.channels(), p,
                        t.dim(), t.depth(), t.heads(), t.mlpDim(), t.numClasses(), 0, 0, t.posEmbedding(), t.pooling(),
                        t.valueProjection(), t.tieQk()));
            }
            dataSource = tiny;
        }

        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "row kernels: %s; linear layers: %s; OpenBLAS core: %s; libnd4j: %s; 1-minute load average before the run: %.2f on %d cores%n",
                Simd.describe(), LinearOps.describe(), openBlasCore(), libnd4j(), loadBefore, Runtime.getRuntime().availableProcessors());
        if (avx512() && !openBlasCore().startsWith("SKYLAKEX") && !openBlasCore().startsWith("COOPERLAKE"))
            System.out.println("note: this CPU has AVX-512 but OpenBLAS runs its " + openBlasCore() + " kernels; "
                    + "OPENBLAS_CORETYPE=SKYLAKEX ran its AVX-512 ones at ~1.8x the gemm rate on such a machine (docs/performance.md)");
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-28s %7s %12s %12s %10s %9s %12s %9s%n", "model", "MFLOP/img", "train img/s", "(p10-p90)",
                "train GF/s", "% ceiling", "infer img/s", "infer/train");
        KernelChooser chooser = KernelChooser.get();
        for (Map.Entry<String, ViTConfig> e : models.entrySet()) {
            chooser.clearUsed();
            ModelBenchmark.Result r = ModelBenchmark.run(e.getKey(), e.getValue(), batch, warmup, iterations, profile);
            double share = r.trainGflops() / mmul.median();
            System.out.printf(Locale.ROOT, "%-28s %7.1f %12.1f %5.0f-%-6.0f %10.1f %8.1f%% %12.1f %9.2f%n", e.getKey(),
                    r.flopsPerImage() / 1e6, r.trainImagesPerSecond().median(), r.trainImagesPerSecond().p10(),
                    r.trainImagesPerSecond().p90(), r.trainGflops(), 100 * share, r.inferImagesPerSecond().median(),
                    r.inferImagesPerSecond().median() / r.trainImagesPerSecond().median());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", e.getKey());
            row.put("patchSize", e.getValue().patchSize());
            row.put("tokens", e.getValue().numTokens());
            row.put("parameters", r.parameters());
            row.put("batch", batch);
            row.put("flopsPerImage", r.flopsPerImage());
            row.put("trainImagesPerSecond", r.trainImagesPerSecond());
            row.put("inferImagesPerSecond", r.inferImagesPerSecond());
            row.put("trainGflops", r.trainGflops());
            row.put("trainShareOfCeiling", share);
            row.put("inferGflops", r.inferGflops());
            row.put("kernelChoices", kernelChoices(chooser));
            if (profile) {
                row.put("stepProfileMillis", r.stepProfileMillis());
                row.put("inferProfileMillis", r.inferProfileMillis());
                printProfile("training step", r.stepProfileMillis());
                printProfile("inference pass", r.inferProfileMillis());
            }
            rows.add(row);
        }

        DataConfig dc = dataSource.dataConfig();
        if (config == null) {
            // the loader is measured on the generated set so the benchmark needs no download
            dc = new DataConfig("synthetic-shapes", null, 32, batch, 0, 1, Augmentation.cropFlip(4),
                    SyntheticSpec.defaults(), false);
        } else {
            dc = dc.withBatchSize(batch);
        }
        LoadedDataset ds = Datasets.open(dc);
        double dataRate = DataBenchmark.imagesPerSecond(ds, Math.max(20, 4 * iterations));
        long rss = PeakMemory.peakRssBytes();
        System.out.printf(Locale.ROOT, "data pipeline (%s, augmented): %.0f img/s; peak RSS %.2f GiB%n", ds.name(), dataRate, rss / (double) (1L << 30));

        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> first = rows.get(0);
            out.put("trainImagesPerSecond", ((Stats) first.get("trainImagesPerSecond")).median());
            out.put("inferImagesPerSecond", ((Stats) first.get("inferImagesPerSecond")).median());
            out.put("dataImagesPerSecond", dataRate);
            out.put("peakRssBytes", rss);
            out.put("flopsPerImage", first.get("flopsPerImage"));
            out.put("mmulGflops", mmul.median());
            out.put("mmul", mmul);
            out.put("batch", batch);
            out.put("iterations", iterations);
            out.put("cores", Runtime.getRuntime().availableProcessors());
            out.put("kernels", Simd.describe());
            out.put("openblasCore", openBlasCore());
            out.put("libnd4j", libnd4j());
            out.put("linearLayers", LinearOps.describe());
            out.put("kernelChoiceCache", String.valueOf(chooser.cacheFile()));
            out.put("loadAverageBefore", loadBefore);
            out.put("loadAverageAfter", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.put("models", rows);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** OPENBLAS_CORETYPE as the process was started (the ./vit launcher sets it on AVX-512 machines), or "auto". */
    static String openBlasCore() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return forced == null || forced.isBlank() ? "auto-detected" : forced + " (OPENBLAS_CORETYPE)";
    }

    /** The libnd4j CPU build this process loaded, e.g. linux-x86_64-avx2 (NativeBinary). */
    static String libnd4j() {
        return NativeBinary.fromExtension(System.getProperty(NativeBinary.PROPERTY, "")).classifier();
    }

    /** Whether /proc/cpuinfo lists the AVX-512 subsets OpenBLAS's SkylakeX kernels use (false if unreadable). */
    static boolean avx512() {
        return NativeBinary.best(CpuFlags.current()) == NativeBinary.AVX512;
    }

    /**
     * The implementation each product family ran on for the model just measured, with the medians that
     * decided it (empty when the choice came from a run or an override), and prints one line per family.
     */
    private static List<Map<String, Object>> kernelChoices(KernelChooser chooser) {
        Map<String, KernelChoice> known = chooser.snapshot();
        List<Map<String, Object>> out = new ArrayList<>();
        StringBuilder line = new StringBuilder("  kernels:");
        chooser.used().forEach((key, impl) -> {
            KernelChoice c = known.get(key);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("impl", impl);
            m.put("source", c == null ? "override" : c.source());
            m.put("millis", c == null ? Map.of() : c.millis());
            out.add(m);
            String ms = c == null || c.millis().isEmpty() ? "" : " (" + KernelChooser.describeMillis(c.millis()) + ")";
            line.append(String.format(Locale.ROOT, "%n    %-36s %-8s%s", key, impl, ms));
        });
        System.out.println(line);
        return out;
    }

    private static void printProfile(String what, Map<String, Double> ms) {
        double step = ms.get("step");
        System.out.printf(Locale.ROOT, "  per %s (%.1f ms):%n", what, step);
        ms.forEach((phase, v) -> {
            if (!phase.equals("step"))
                System.out.printf(Locale.ROOT, "    %-36s %8.2f ms %6.1f%%%n", phase, v, 100 * v / step);
        });
    }
}
