package io.vitlens.training.cli;

import io.vitlens.training.EpochMetrics;
import io.vitlens.training.NonFiniteException;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.RunLock;
import io.vitlens.training.Trainer;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.core.io.WriteFailedException;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.config.TrainSection;
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
        if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        RunDirectory.check(out, resume, overwrite);   // refusals that touch nothing, before the lock creates --out
        try (RunLock lock = RunLock.acquire(out)) {   // before prepare: --overwrite must not delete a run in progress
            RunDirectory run = RunDirectory.prepare(out, resume, overwrite);
            if (resume) checkOptimiserUnchanged(cfg, run);
            return trainPrepared(cfg, run, resume, uiPort);
        }
    }

    private static EpochMetrics trainPrepared(ExperimentConfig cfg, RunDirectory run, boolean resume, int uiPort) throws Exception {
        try {
            if (uiPort >= 0) return LiveTraining.run(cfg, run, resume, new ProgressBarObserver(System.out), uiPort, System.out);
            return new Trainer(cfg, run, new ProgressBarObserver(System.out)).run(resume);
        } catch (NonFiniteException e) {
            throw new NonFiniteException(e.getMessage() + "; " + lastGood(run) + " (lower train.lr, raise "
                    + "train.warmup-epochs or set train.grad-clip, and start again with --overwrite)", e);
        } catch (WriteFailedException e) {
            throw new WriteFailedException(e.target(), e.getMessage() + "; " + lastGood(run)
                    + " (fix the cause, then continue with --resume)", e);
        }
    }

    /**
     * A checkpoint carries its optimiser (Adam's rate schedule, betas, epsilon, weight decay) inside the DL4J
     * model, and a resumed run continues with exactly that. A different value on resume would be silently
     * ignored, so it is refused.
     */
    static void checkOptimiserUnchanged(ExperimentConfig cfg, RunDirectory run) throws java.io.IOException {
        var last = run.latestCheckpointEpoch();
        if (last.isEmpty()) return;
        Path file = run.checkpoint(last.get());
        TrainSection was = ConfigLoader.bind(CheckpointIO.readMeta(file).config(), file + " (stored config)").train, now = cfg.train;
        String[] keys = {"lr", "min-lr", "warmup-epochs", "weight-decay", "beta1", "beta2", "adam-epsilon"};
        double[] a = {was.lr, was.minLr, was.warmupEpochs, was.weightDecay, was.beta1, was.beta2, was.adamEpsilon};
        double[] b = {now.lr, now.minLr, now.warmupEpochs, now.weightDecay, now.beta1, now.beta2, now.adamEpsilon};
        for (int i = 0; i < keys.length; i++)
            if (Double.compare(a[i], b[i]) != 0)
                throw new IllegalArgumentException("--resume: train." + keys[i] + " is " + b[i] + " but the run in " + run.root()
                        + " was started with " + a[i] + "; the optimiser settings (train." + String.join(", train.", keys)
                        + ") live in its checkpoints and a resumed run keeps them. Start a new run (--overwrite or "
                        + "another --out) to change them");
    }

    /** Where a stopped run can continue from, for error messages. */
    private static String lastGood(RunDirectory run) {
        try {
            var last = run.latestCheckpointEpoch();
            return last.isPresent() ? "the last complete checkpoint, " + run.checkpoint(last.get()) + ", is kept"
                    : "no checkpoint was written";
        } catch (java.io.IOException e) {
            return "the checkpoints in " + run.checkpoints() + " cannot be listed (" + e.getMessage() + ")";
        }
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
