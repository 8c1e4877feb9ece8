package io.vitlens.training.reliability;

import io.vitlens.analysis.job.RunCheckpoints;
import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vit analyze --run} through the analysis module's job on a real one-epoch run: the analysis reads the run
 * directory as the trainer wrote it, and the trajectory carries the accuracy metrics.jsonl logged for each epoch.
 */
class AnalyzeRunTest {

    @TempDir
    static Path dir;
    static ModelFiles.Fixture fx;

    @BeforeAll
    static void train() {
        fx = ModelFiles.train(dir);
    }

    @Test
    void theAnalysisReadsTheRunDirectoryAsTheTrainerWroteIt() throws Exception {
        Files.writeString(new RunDirectory(fx.run()).checkpoints().resolve(".epoch-002.zip.123.tmp"), "interrupted write");
        RunCheckpoints analysis = new RunCheckpoints(fx.run());
        RunDirectory training = new RunDirectory(fx.run());
        assertEquals(training.checkpointEpochs(), analysis.epochs());
        assertEquals(List.of(0, 1), analysis.epochs());
        assertEquals(training.checkpoint(1), analysis.checkpoint(1));
        assertEquals(training.metricsJsonl(), analysis.metricsJsonl());
        assertEquals(training.report(), analysis.report());
    }

    @Test
    void analyzeWritesTheTrajectoryWithTheLoggedAccuracy() throws Exception {
        Vit.Result r = Vit.run("analyze", "--run", fx.run().toString(), "--images", "16");
        assertEquals(0, r.status(), r::toString);
        Path report = new RunDirectory(fx.run()).report();
        assertTrue(r.out().contains("trajectory: " + report.resolve("trajectory.md")), r.out());
        List<String> csv = Files.readAllLines(report.resolve("trajectory.csv"));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("epoch-000,0,,"), "no accuracy is logged for the initialisation: " + csv.get(1));
        assertTrue(csv.get(2).startsWith("epoch-001,1,"), csv.get(2));
        List<Map<String, Object>> metrics = MetricsWriter.read(new RunDirectory(fx.run()).metricsJsonl());
        double logged = ((Number) metrics.get(metrics.size() - 1).get("testAccuracy")).doubleValue();
        assertEquals(logged, Double.parseDouble(csv.get(2).split(",")[2]), 1e-6);
        assertTrue(Files.readString(report.resolve("index.html")).contains("<h2 id=\"trajectory\">"));
        assertTrue(Files.isRegularFile(report.resolve("trajectory.json")));
    }
}
