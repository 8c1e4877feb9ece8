package io.vitlens.spark;

import io.vitlens.data.Datasets;
import io.vitlens.data.Split;
import io.vitlens.training.EpochMetrics;
import io.vitlens.training.EvalResult;
import io.vitlens.training.Evaluator;
import io.vitlens.training.MetricsWriter;
import io.vitlens.training.NonFiniteException;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.core.model.WarmupCosineSchedule;
import io.vitlens.core.model.layers.Engine;
import io.vitlens.training.config.ConfigException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkTrainerTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(SparkTrainer.sparkConf("test", "local[2]").set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) sc.close();
    }

    /** The tiny ViT of the training tests: 16x16, patch 4, D 32, L 2, H 2, M 64, 4 classes; 256 images in batches of 16. */
    private static ExperimentConfig tiny(String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "model.image-size=16", "model.patch-size=4", "model.dim=32", "model.depth=2", "model.heads=2",
                "model.mlp-dim=64", "model.num-classes=4",
                "data.dataset=synthetic-shapes", "data.batch-size=16", "data.validation-fraction=0",
                "data.synthetic.train-size=256", "data.synthetic.test-size=64", "data.synthetic.num-classes=4",
                "data.synthetic.seed=3", "data.synthetic.min-scale=0.5", "data.synthetic.max-scale=0.9", "data.synthetic.background-contrast=0.05",
                "data.synthetic.min-contrast=0.4", "data.synthetic.pixel-noise=0",
                "train.warmup-epochs=0", "train.lr=0.003", "train.min-lr=0.003", "train.label-smoothing=0"));
        o.addAll(List.of(extra));
        return ConfigLoader.parse("name: spark-tiny\nseed: 5\n", "test", o);
    }

    /** The shared epoch loop with the Spark engine's epoch fit. */
    private static Trainer spark(ExperimentConfig cfg, RunDirectory run, SparkSettings settings, Trainer.Observer observer) {
        return new Trainer(cfg, run, observer, new SparkTrainer(sc, cfg, settings));
    }

    /**
     * The bug of the former copy of the trainer: a run resumed with a larger train.epochs kept the schedule of
     * the old total and went on at its final rate. Through the shared loop the schedule is re-planned, the run
     * directory is the local trainer's (config, kernel choices, checkpoints with the engine's id, both metrics
     * files), and the Spark entry point refuses other optimiser settings on resume as `vit train` does.
     */
    @Test
    void resumingWithMoreEpochsReplansTheScheduleAndWritesTheLocalRunDirectory(@TempDir Path dir) throws Exception {
        // 4 batches per epoch over 2 workers: 2 optimiser steps per epoch
        String[] decaying = {"train.max-batches-per-epoch=4", "train.lr=0.003", "train.min-lr=0.0003"};
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        SparkSettings two = new SparkSettings(null, 2, 1);
        spark(tiny(concat(decaying, "train.epochs=1")), run, two, null).run(false);
        spark(tiny(concat(decaying, "train.epochs=3")), run, two, null).run(true);

        List<Map<String, Object>> lines = MetricsWriter.read(run.metricsJsonl());
        assertEquals(3, lines.size());
        assertEquals(4L, ((Number) lines.get(1).get("step")).longValue());
        double lr = ((Number) lines.get(1).get("lr")).doubleValue();
        double replanned = new WarmupCosineSchedule(0.003, 0.0003, 0, 6).valueAt(3, 0);
        double kept = new WarmupCosineSchedule(0.003, 0.0003, 0, 2).valueAt(3, 0);   // the old plan: its final rate
        assertEquals(replanned, lr, 1e-9, "epoch 2 runs on the schedule over 3 epochs");
        assertTrue(Math.abs(lr - kept) > 1e-4, "not at the 1-epoch schedule's end: " + lr + " vs " + kept);

        assertEquals(List.of(0, 1, 2, 3), run.checkpointEpochs());
        assertTrue(Files.isRegularFile(run.config()), "config.yaml");
        assertTrue(Files.isRegularFile(run.root().resolve("kernels.json")), "kernel choices recorded");
        assertEquals(4, Files.readAllLines(run.metricsCsv()).size(), "csv header and one row per epoch");
        Checkpoint end = CheckpointIO.read(run.checkpoint(3), false);
        assertEquals(6L, end.meta().step());
        assertEquals(Engine.of(end.graph()).id(), end.meta().engine());

        // the cluster entry point goes through the local CLI's resume checks
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, ConfigLoader.toYaml(tiny(concat(decaying, "train.epochs=4"))));
        SparkMain main = new SparkMain();
        main.config = yaml;
        main.overrides = List.of("train.lr=0.01");
        main.out = run.root();
        main.resume = true;
        main.master = "local[2]";
        main.averagingFrequency = 1;   // picocli's defaults apply only when it parses
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, main::call);
        assertTrue(e.getMessage().startsWith("--resume: train.lr is 0.01"), e.getMessage());
    }

    @Test
    void aWeightAverageIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve("ema"), false, false);
        ConfigException e = assertThrows(ConfigException.class,
                () -> spark(tiny("train.ema-decay=0.9"), run, new SparkSettings(null, 2, 1), null).run(false));
        assertTrue(e.getMessage().startsWith("train.ema-decay: 0.9 is not supported"), e.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void trainsOnLocalSparkResumesAndWritesARunDirectory(@TempDir Path dir) throws Exception {
        SparkSettings two = new SparkSettings(null, 2, 1);
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        List<Long> imagesPerEpoch = new ArrayList<>();
        Trainer.Observer observer = new Trainer.Observer() {
            @Override public void batchDone(int epoch, long imagesDone, double loss, double lr) { imagesPerEpoch.add(imagesDone); }
        };
        spark(tiny("train.epochs=3"), run, two, observer).run(false);
        // the same run continued to 8 epochs from its epoch-3 checkpoint
        EpochMetrics last = spark(tiny("train.epochs=8"), run, two, observer).run(true);

        assertEquals(List.of(256L, 256L, 256L, 256L, 256L, 256L, 256L, 256L), imagesPerEpoch);
        List<Map<String, Object>> lines = MetricsWriter.read(run.metricsJsonl());
        assertEquals(8, lines.size());
        for (int e = 1; e <= 8; e++) {
            // 16 batches over 2 workers averaged every round: 8 steps per epoch
            assertEquals(8L * e, ((Number) lines.get(e - 1).get("step")).longValue(), "step after epoch " + e);
        }
        List<Object> losses = lines.stream().map(l -> l.get("trainLoss")).toList();
        double first = ((Number) losses.get(0)).doubleValue();
        assertTrue(Math.abs(first - Math.log(4)) < 0.05, "a 4-class model starts near ln 4: " + losses);
        assertTrue(last.trainLoss() < first - 0.02, "loss should fall: " + losses);
        assertTrue(last.gradNormGlobal() > 0, "global gradient norm measured on the workers");
        for (String g : List.of("patch_embed", "pos_embed", "cls_token", "blocks.0.attn.q", "blocks.1.mlp", "head"))
            assertTrue(last.gradNorms().get(g) > 0, "gradient norm of " + g + " in " + last.gradNorms());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), run.checkpointEpochs());

        // the checkpoints are the models: the last one re-evaluated gives the recorded test numbers, and it fits
        // the training images better than the initialisation (epoch 0) does
        var data = Datasets.open(tiny().dataConfig());
        Checkpoint init = CheckpointIO.read(run.checkpoint(0), false);
        Checkpoint end = CheckpointIO.read(run.checkpoint(8), false);
        assertEquals(64L, end.meta().step());
        EvalResult test = Evaluator.evaluate(end.graph(), data.evalIterator(Split.TEST, 0), end.meta().classNames());
        assertEquals(last.testAccuracy(), test.accuracy(), 0.0);
        assertEquals(last.testLoss(), test.loss(), 1e-6);
        double before = Evaluator.evaluate(init.graph(), data.evalIterator(Split.TRAIN, 0), data.classNames()).loss();
        double after = Evaluator.evaluate(end.graph(), data.evalIterator(Split.TRAIN, 0), data.classNames()).loss();
        assertTrue(after < before - 0.02, "training-set loss " + before + " -> " + after);
    }

    @Test
    void aDivergingRunStopsWithTheTrainersException(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve("nan"), false, false);
        ExperimentConfig cfg = tiny("train.epochs=2", "train.lr=1e6", "train.min-lr=1e6", "train.grad-clip=0");
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> spark(cfg, run, new SparkSettings(null, 2, 1), null).run(false));
        assertTrue(e.getMessage().contains("became NaN") || e.getMessage().contains("became Infinity"), e.getMessage());
    }

    @Test
    void stepsPerEpochFollowDl4jsRounds() {
        assertEquals(8, SparkSettings.stepsPerEpoch(16, 2, 1));
        assertEquals(8, SparkSettings.stepsPerEpoch(17, 2, 1));    // floor: the 17th batch joins a round
        assertEquals(8, SparkSettings.stepsPerEpoch(16, 2, 2));    // 4 rounds of 2 batches per worker
        assertEquals(3, SparkSettings.stepsPerEpoch(5, 8, 3));     // fewer batches than one round: one round of f steps
        assertEquals(0, SparkSettings.stepsPerEpoch(0, 2, 1));
    }

    @Test
    void badSettingsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparkSettings(null, -1, 1))
                .getMessage().startsWith("spark.workers: -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparkSettings("local[2]", 0, 0))
                .getMessage().startsWith("spark.averagingFrequency: 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparkSettings(" ", 0, 1))
                .getMessage().startsWith("spark.master: blank"));
    }
}
