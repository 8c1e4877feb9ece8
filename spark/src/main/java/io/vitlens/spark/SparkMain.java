package io.vitlens.spark;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.RunStart;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.listeners.ProgressBarObserver;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The main class of the cluster jar: {@code spark-submit --master yarn vit-lens-spark.jar --config X.yaml --out
 * /shared/runs/x}. Options as {@code vit train}, plus the Spark ones.
 */
@Command(name = "vit-spark", mixinStandardHelpOptions = true,
        description = {"Train a ViT data-parallel on Spark (parameter averaging), writing the run directory of `vit train`.",
                "Example: spark-submit --master yarn --num-executors 4 --executor-cores 1 vit-lens-spark.jar "
                        + "--config configs/cifar10-vit-tiny.yaml --set data.data-dir=/shared/cifar10 --out /shared/runs/tiny"})
public final class SparkMain implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "YAML", description = "Experiment config (optional with --resume: the run's config.yaml).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory, written by the driver.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing run in --out.")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master; default: the one spark-submit set.")
    String master;

    @Option(names = "--workers", defaultValue = "0", description = "Model replicas; 0 = Spark's default parallelism (default).")
    int workers;

    @Option(names = "--averaging-frequency", defaultValue = "1", paramLabel = "N",
            description = "Batches per worker between parameter averagings (default 1).")
    int averagingFrequency;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config : resume ? new RunDirectory(out).config() : null;
        if (file == null) throw new IllegalArgumentException("--config: missing; give an experiment YAML such as configs/quickstart.yaml");
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": no such config file");
        ExperimentConfig cfg = ConfigLoader.load(file, overrides);
        SparkSettings settings = new SparkSettings(master, workers, averagingFrequency);
        // the run start and epoch loop of `vit train` (RunStart, Trainer); only the epoch's fit is Spark's
        EpochMetrics last = RunStart.train(cfg, out, resume, overwrite, run -> {
            try (JavaSparkContext sc = new JavaSparkContext(SparkTrainer.sparkConf(cfg.name(), master))) {
                return new Trainer(cfg, run, new ProgressBarObserver(System.out), new SparkTrainer(sc, cfg, settings)).run(resume);
            }
        });
        System.out.println("run written to " + out + (last == null ? " (nothing left to train)" : String.format(Locale.ROOT,
                " (epoch %d, test accuracy %.2f%%)", last.epoch(), 100 * last.testAccuracy())));
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {   // ConfigException included: a message naming the key
                cmd.getErr().println("vit-spark: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
