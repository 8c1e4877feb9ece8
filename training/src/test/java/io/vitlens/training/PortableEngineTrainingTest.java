package io.vitlens.training;

import io.vitlens.core.model.layers.Engine;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One epoch of the quickstart config (configs/quickstart.yaml: 10000 synthetic-shapes images, D 64, 4 blocks,
 * 65 tokens, batch 32, 313 steps) trains on the portable engine ({@code -Dvitlens.engine=portable}): the loss
 * falls below chance level, test accuracy rises above it, and metrics.jsonl and checkpoint.json name the
 * engine.
 */
class PortableEngineTrainingTest {

    @Test
    void quickstartEpochTrainsOnThePortableEngine(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of("train.epochs=1"));
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        String old = System.getProperty(Engine.PROPERTY);
        System.setProperty(Engine.PROPERTY, "portable");
        long start = System.nanoTime();
        try {
            new Trainer(cfg, run, null).run(false);
        } finally {
            if (old == null) System.clearProperty(Engine.PROPERTY);
            else System.setProperty(Engine.PROPERTY, old);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Map<String, Object>> lines = MetricsWriter.read(run.metricsJsonl());
        assertEquals(1, lines.size(), "one epoch line");
        Map<String, Object> epoch = lines.get(0);
        double trainLoss = ((Number) epoch.get("trainLoss")).doubleValue();
        double accuracy = ((Number) epoch.get("testAccuracy")).doubleValue();
        System.out.printf("quickstart epoch on the portable engine: %.1f s, train loss %.4f, test accuracy %.3f%n",
                seconds, trainLoss, accuracy);
        assertTrue(Double.isFinite(trainLoss) && trainLoss < Math.log(10), "train loss " + trainLoss);
        assertTrue(accuracy > 0.2, "test accuracy " + accuracy + " (chance 0.1)");
        assertTrue(Files.exists(run.checkpoint(1)), "checkpoint of epoch 1");
        assertEquals("portable", epoch.get("engine"));
        assertEquals("portable", CheckpointIO.readMeta(run.checkpoint(1)).engine());
        assertEquals("portable", CheckpointIO.readMeta(run.checkpoint(0)).engine());
    }

    @Test
    void theDefaultRunRecordsTheFastEngine(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve("run"), false, false);
        new Trainer(TrainerTest.tiny("train.epochs=1"), run, null).run(false);
        assertEquals("fast", MetricsWriter.read(run.metricsJsonl()).get(0).get("engine"));
        assertEquals("fast", CheckpointIO.readMeta(run.checkpoint(1)).engine());
    }
}
