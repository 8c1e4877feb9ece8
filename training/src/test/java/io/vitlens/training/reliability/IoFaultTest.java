package io.vitlens.training.reliability;

import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.WriteFailedException;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * I/O errors injected while a run writes its checkpoints, metrics or report (tests run as root, so read-only
 * folders would not stop a write; a folder where a file must go does): the error names the file and the step
 * that failed, the previous checkpoint stays valid, no temporary file is left, and --resume then continues.
 */
class IoFaultTest {
    @TempDir Path dir;

    @Test
    void checkpointWriteFailureKeepsThePreviousCheckpointAndResumeContinues() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML.replace("epochs: 3", "epochs: 2"));
        Path run = dir.resolve("run");
        // an empty folder by the name of the epoch-1 checkpoint: the run starts (folders alone are no run), and
        // the rename of the finished temporary file onto it fails
        Path blocker = Files.createDirectories(run.resolve("checkpoints/epoch-001.zip"));

        Vit.Result r = Vit.run("train", "--config", config.toString(), "--out", run.toString());
        Vit.assertBadInput(r, "cannot write " + blocker, "renaming the temporary file", "into place failed",
                "epoch-001.zip is unchanged", "the last complete checkpoint, " + run.resolve("checkpoints/epoch-000.zip") + ", is kept",
                "--resume");
        RunDirectory rd = new RunDirectory(run);
        assertEquals(List.of(0), rd.checkpointEpochs(), "the folder is not mistaken for a checkpoint");
        CheckpointIO.read(rd.checkpoint(0), true);
        assertEquals(List.of(), tmpFiles(run), "the failed write's temporary file is removed");

        // fix the cause, resume: the run ends where an uninterrupted one does
        Files.delete(blocker);
        Vit.Result resumed = Vit.run("train", "--resume", "--out", run.toString());
        assertEquals(0, resumed.status(), resumed::toString);
        Path ref = dir.resolve("ref");
        assertEquals(0, Vit.run("train", "--config", config.toString(), "--out", ref.toString()).status());
        assertArrayEquals(CheckpointIO.read(new RunDirectory(ref).checkpoint(2), true).graph().params().toFloatVector(),
                CheckpointIO.read(rd.checkpoint(2), true).graph().params().toFloatVector(), 0f);
        assertEquals(2, MetricsWriter.read(rd.metricsJsonl()).size(), "epoch 1's metrics line, written before the failed "
                + "checkpoint, was dropped on resume and written again once");
    }

    @Test
    void metricsWriteFailureMidRunNamesTheFileAndKeepsTheCheckpoint() throws Exception {
        ExperimentConfig cfg = ConfigLoader.parse(Vit.TINY_YAML, "tiny", List.of("train.epochs=2"));
        RunDirectory rd = RunDirectory.prepare(dir.resolve("run"), false, false);
        Trainer.Observer sabotage = new Trainer.Observer() {
            @Override public void epochStart(int epoch, int epochs, long images) {
                if (epoch != 2) return;
                try {   // metrics.csv becomes a folder between epochs
                    Files.delete(rd.metricsCsv());
                    Files.createDirectories(rd.metricsCsv());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        WriteFailedException e = assertThrows(WriteFailedException.class, () -> new Trainer(cfg, rd, sabotage).run(false));
        assertEquals(rd.metricsCsv(), e.target());
        assertTrue(e.getMessage().contains("cannot append the metrics of epoch 2 to " + rd.metricsCsv()), e.getMessage());
        assertEquals(List.of(0, 1), rd.checkpointEpochs());
        CheckpointIO.read(rd.checkpoint(1), true);
    }

    @Test
    void configWriteFailureAtStartNamesTheFile() throws Exception {
        Path config = Vit.write(dir.resolve("tiny.yaml"), Vit.TINY_YAML);
        Path run = dir.resolve("run");
        Files.createDirectories(run.resolve("config.yaml"));   // a folder where the resolved config goes
        Vit.Result r = Vit.run("train", "--config", config.toString(), "--out", run.toString());
        Vit.assertBadInput(r, "cannot write " + run.resolve("config.yaml"), "into place failed", "no checkpoint was written");
        assertEquals(List.of(), Vit.files(run));
    }

    @Test
    void reportWriteFailureNamesTheReportAndKeepsThePreviousOne() throws Exception {
        ModelFiles.Fixture fx = ModelFiles.train(dir);
        Path report = dir.resolve("report");
        Vit.Result first = Vit.run("analyze", "--checkpoint", fx.checkpoint1().toString(), "--images", "16", "--out", report.toString());
        assertEquals(0, first.status(), first::toString);
        byte[] html = Files.readAllBytes(report.resolve("index.html"));

        // the figures folder replaced by a file: the second report cannot be written
        Path figures = report.resolve("figures");
        try (var walk = Files.walk(figures)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
        Files.writeString(figures, "in the way");
        Vit.Result second = Vit.run("analyze", "--checkpoint", fx.checkpoint1().toString(), "--images", "16", "--out", report.toString());
        Vit.assertBadInput(second, "cannot write the report to " + report, figures.toString());
        // the files of the first report are whole (the JSON is rewritten atomically: the old or the new one)
        ModelFiles.JSON.readTree(report.resolve("analysis.json").toFile());
        assertArrayEquals(html, Files.readAllBytes(report.resolve("index.html")), "index.html is the previous one");

        Vit.Result toFile = Vit.run("analyze", "--checkpoint", fx.checkpoint1().toString(), "--images", "16", "--out", figures.toString());
        Vit.assertBadInput(toFile, "--out " + figures, "exists and is not a directory");
    }

    private static List<Path> tmpFiles(Path run) {
        return Vit.files(run).stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
}
