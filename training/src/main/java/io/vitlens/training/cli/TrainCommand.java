package io.vitlens.training.cli;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.listeners.ProgressBarObserver;
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

    @Mixin CommonOptions.DataOptions data;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = loadConfig(config, overrides, data, resume ? out : null);
        EpochMetrics last = train(cfg, out, resume, overwrite);
        System.out.println("run written to " + out + (last == null ? " (nothing left to train)" : String.format(Locale.ROOT,
                " (epoch %d, test accuracy %.2f%%)", last.epoch(), 100 * last.testAccuracy())));
        return 0;
    }

    static EpochMetrics train(ExperimentConfig cfg, Path out, boolean resume, boolean overwrite) throws Exception {
        if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        RunDirectory run = RunDirectory.prepare(out, resume, overwrite);
        return new Trainer(cfg, run, new ProgressBarObserver(System.out)).run(resume);
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
