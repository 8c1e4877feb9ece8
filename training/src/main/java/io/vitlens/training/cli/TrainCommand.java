package io.vitlens.training.cli;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.RunStart;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.listeners.ProgressBarObserver;
import io.vitlens.training.live.LiveTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a ViT from an experiment config, writing checkpoints and metrics to --out.",
                "Example: vit train --config configs/cifar10-vit-tiny.yaml --data-dir ../shared/datasets/cifar10-jpg.tar.gz --out runs/tiny"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "YAML", description = "Experiment config (optional with --resume: the run's own config.yaml).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set train.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory, e.g. runs/NAME.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last complete checkpoint.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing run in --out.")
    boolean overwrite;

    @Option(names = "--workers", paramLabel = "N",
            description = "Data-parallel workers on this machine (ParallelWrapper); same as --set train.workers=N.")
    Integer workers;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train data-parallel on Spark (e.g. local[2], spark://host:7077, or 'submit' for spark-submit's master). "
                    + "Needs the cluster jar of the optional spark module: see docs/scaling.md.")
    String spark;

    @Option(names = "--dry-run", description = "Check the config and --set overrides, print the resolved config and stop; writes nothing.")
    boolean dryRun;

    @Option(names = "--ui", description = "While it trains, serve DL4J's training UI on localhost (--ui-port) and the run's own live page "
            + "(loss, accuracy, lr, C1 rho per checkpoint) on the next port.")
    boolean ui;

    @Option(names = "--ui-port", defaultValue = "9000", paramLabel = "PORT", description = "Port of DL4J's training UI for --ui, the live page on the next; 0 = any free ports (default: ${DEFAULT-VALUE}).")
    int uiPort;

    @Mixin CommonOptions.DataOptions data;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(overrides);
        if (workers != null) all.add("train.workers=" + workers);
        ExperimentConfig cfg = loadConfig(config, all, data, resume ? out : null);
        if (dryRun) {
            System.out.print(ConfigLoader.toYaml(cfg));
            return 0;
        }
        EpochMetrics last;
        try {
            if (ui && spark != null) throw new IllegalArgumentException("--ui: not available with --spark");
            last = spark != null ? SparkLauncher.train(cfg, out, resume, overwrite, spark) : train(cfg, out, resume, overwrite, ui ? uiPort : -1);
        } catch (ConfigException e) {   // found only once the data is open, e.g. a class count the dataset lacks
            Path file = config != null ? config : new RunDirectory(out).config();
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        System.out.println("run written to " + out + (last == null ? " (nothing left to train)" : String.format(Locale.ROOT,
                " (epoch %d, test accuracy %.2f%%)", last.epoch(), 100 * last.testAccuracy())));
        return 0;
    }

    static EpochMetrics train(ExperimentConfig cfg, Path out, boolean resume, boolean overwrite) throws Exception {
        return train(cfg, out, resume, overwrite, -1);
    }

    /** @param uiPort the live page's port (0 = any), or -1 for none */
    static EpochMetrics train(ExperimentConfig cfg, Path out, boolean resume, boolean overwrite, int uiPort) throws Exception {
        return RunStart.train(cfg, out, resume, overwrite, run -> uiPort >= 0
                ? LiveTraining.run(cfg, run, resume, new ProgressBarObserver(System.out), uiPort, System.out)
                : new Trainer(cfg, run, new ProgressBarObserver(System.out)).run(resume));
    }

    /** The config from a file (or a resumed run's config.yaml), with --set and --dataset/--data-dir applied. */
    static ExperimentConfig loadConfig(Path config, List<String> overrides, CommonOptions.DataOptions data, Path resumeDir) {
        List<String> all = new ArrayList<>(overrides);
        if (data != null && data.dataset != null) all.add("data.dataset=" + data.dataset);
        if (data != null && data.dataDir != null) all.add("data.data-dir=" + quote(data.dataDir.toString()));
        Path file = config;
        if (file == null && resumeDir != null) file = new RunDirectory(resumeDir).config();
        if (file == null) throw new IllegalArgumentException("--config: missing; give an experiment YAML such as configs/quickstart.yaml");
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": no such config file");
        return ConfigLoader.load(file, all);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
