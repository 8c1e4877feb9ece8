package io.vitlens.training.reliability;

import io.vitlens.core.model.WarmupCosineSchedule;
import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint written before the checkpoint reader moved to vit-core (format 1, its schedule named by the old
 * training-module class: vit-core/src/test/resources/checkpoints) still evaluates, predicts, exports, analyses and
 * resumes with today's command line.
 */
class OldCheckpointsTest {
    static final Path FIXTURE = Path.of("../vit-core/src/test/resources/checkpoints/v1-learned-cls.zip");

    @TempDir Path dir;

    @Test
    void aFormat1CheckpointEvaluatesExportsAndAnalyses() throws IOException {
        Vit.Result eval = Vit.run("eval", "--checkpoint", FIXTURE.toString(), "--limit", "16");
        assertEquals(0, eval.status(), eval::toString);
        assertTrue(eval.out().contains("images"), eval::toString);
        Vit.Result predict = Vit.run("predict", "--checkpoint", FIXTURE.toString(), "--limit", "4", "--out", dir.resolve("p.csv").toString());
        assertEquals(0, predict.status(), predict::toString);
        assertEquals(5, Files.readAllLines(dir.resolve("p.csv")).size(), "a header and 4 rows");
        Vit.Result export = Vit.run("export", "--checkpoint", FIXTURE.toString(), "--out", dir.resolve("w.safetensors").toString());
        assertEquals(0, export.status(), export::toString);
        Vit.Result analyze = Vit.run("analyze", "--checkpoint", FIXTURE.toString(), "--images", "16", "--out", dir.resolve("rep").toString());
        assertEquals(0, analyze.status(), analyze::toString);
        assertTrue(Files.exists(dir.resolve("rep/analysis.json")));
    }

    @Test
    void aRunEndingInAFormat1CheckpointResumesWithItsOptimiserState() throws IOException {
        Checkpoint old = CheckpointIO.read(FIXTURE, true);
        Path run = dir.resolve("run");
        RunDirectory rd = new RunDirectory(run);
        Files.createDirectories(rd.checkpoints());
        Files.copy(FIXTURE, rd.checkpoint(1));
        Files.writeString(rd.config(), ConfigLoader.toYaml(old.config()));

        Vit.Result r = Vit.run("train", "--resume", "--out", run.toString(), "--set", "train.epochs=2");
        assertEquals(0, r.status(), r::toString);
        Checkpoint next = CheckpointIO.read(rd.checkpoint(2), true);
        assertEquals(8L, next.meta().step(), "4 steps per epoch, continued from step 4");
        Object schedule = ((Adam) ((BaseLayer) next.graph().getLayer("head").conf().getLayer()).getIUpdater())
                .getLearningRateSchedule();
        assertEquals(new WarmupCosineSchedule(0.01, 1e-5, 0, 8), schedule, "re-planned over 2 epochs, under its new name");
        assertEquals(List.of(2), MetricsWriter.read(rd.metricsJsonl()).stream().map(m -> ((Number) m.get("epoch")).intValue()).toList());
    }
}
