package io.vitlens.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.live.LiveTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vit train --ui: the live page answers while the trainer is mid-epoch, and C1 is measured on every checkpoint. */
class LiveViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAnswersDuringTrainingAndShowsEveryEpochAndCheckpoint(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = TrainerTest.tiny("train.epochs=3");
        RunDirectory run = RunDirectory.prepare(dir.resolve("live-run"), false, false);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        String[] base = new String[1], dl4j = new String[1];
        List<JsonNode> dl4jData = new ArrayList<>();
        List<JsonNode> midEpoch = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        // the "progress bar" of this run asks the server from inside the training loop, mid-epoch
        Trainer.Observer probe = new Trainer.Observer() {
            boolean asked;

            @Override public void epochStart(int epoch, int epochs, long images) { asked = false; }

            @Override public void batchDone(int epoch, long imagesDone, double loss, double lr) {
                if (asked) return;
                asked = true;
                try {
                    if (base[0] == null) {
                        Matcher m = Pattern.compile("live view: (http://localhost:\\d+/)").matcher(printed.toString(StandardCharsets.UTF_8));
                        assertTrue(m.find(), "no live view URL printed: " + printed);
                        base[0] = m.group(1);
                    }
                    HttpResponse<String> page = get(base[0]);
                    assertEquals(200, page.statusCode());
                    pages.add(page.body());
                    HttpResponse<String> status = get(base[0] + "status.json");
                    assertEquals(200, status.statusCode());
                    assertEquals("application/json", status.headers().firstValue("Content-Type").orElse(""));
                    midEpoch.add(JSON.readTree(status.body()));
                    if (dl4j[0] == null) {
                        Matcher m = Pattern.compile("training UI \\(DL4J\\): (http://localhost:\\d+)/train/overview")
                                .matcher(printed.toString(StandardCharsets.UTF_8));
                        assertTrue(m.find(), "no DL4J UI URL printed: " + printed);
                        dl4j[0] = m.group(1);
                    }
                    HttpResponse<String> ui = get(dl4j[0] + "/train/overview");
                    assertEquals(200, ui.statusCode(), "DL4J's training UI page");
                    HttpResponse<String> data = get(dl4j[0] + "/train/overview/data");
                    assertEquals(200, data.statusCode(), "DL4J's training UI data");
                    dl4jData.add(JSON.readTree(data.body()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        EpochMetrics last = LiveTraining.run(cfg, run, false, probe, 0, out);
        assertEquals(3, last.epoch());

        assertEquals(3, midEpoch.size(), "one probe per epoch");
        for (int e = 1; e <= 3; e++) {
            JsonNode s = midEpoch.get(e - 1);
            assertEquals("training", s.path("state").asText(), s.toString());
            assertEquals(e, s.path("epoch").asInt());
            assertEquals(e - 1, s.path("history").size(), "finished epochs shown mid-epoch " + e);
            assertTrue(s.path("imagesDone").asLong() > 0);
        }
        assertTrue(pages.get(0).contains("<title>vit-lens: training live</title>") && pages.get(0).contains("status.json"));
        assertEquals(run.checkpointEpochs(), List.of(0, 1, 2, 3));

        // DL4J's UI saw the steps: by the last epoch its overview lists scores of the run's iterations
        JsonNode lastData = dl4jData.get(dl4jData.size() - 1);
        assertTrue(lastData.path("scores").size() > 0, "DL4J UI scores: " + lastData);
        // both servers went away with the run
        assertThrows(ConnectException.class, () -> get(base[0] + "status.json"));
        assertThrows(ConnectException.class, () -> get(dl4j[0] + "/train/overview"));
    }

    @Test
    void c1IsMeasuredOnEveryCheckpointWithTheReportsDefinition(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = TrainerTest.tiny("train.epochs=2");
        RunDirectory run = RunDirectory.prepare(dir.resolve("rho-run"), false, false);
        io.vitlens.training.live.LiveStatus status = new io.vitlens.training.live.LiveStatus("rho-run");
        io.vitlens.training.live.LiveObserver observer = new io.vitlens.training.live.LiveObserver(null, status, run);
        new Trainer(cfg, run, observer).run(false);
        observer.close();
        JsonNode s = JSON.readTree(status.json());
        assertEquals("finished", s.path("state").asText());
        assertEquals(2, s.path("history").size());
        JsonNode rho = s.path("positionRho");
        assertEquals(3, rho.size(), s.toString());
        for (int e = 0; e <= 2; e++) {
            JsonNode r = rho.get(e);
            assertEquals(String.format("epoch-%03d", e), r.path("checkpoint").asText());
            // the same number `vit analyze` reports for that checkpoint
            var cp = io.vitlens.training.checkpoint.CheckpointIO.read(run.checkpoint(e), false);
            double[][] p = new io.vitlens.core.model.ViTInspector(cp.graph(), cp.vit()).patchPositionEmbeddings().toDoubleMatrix();
            var expected = new io.vitlens.analysis.geometry.PositionEmbeddingAnalysis(
                    new io.vitlens.analysis.geometry.PatchGrid(cp.vit().gridSize(), cp.vit().patchSize()))
                    .analyze(p, cp.vit().posEmbedding().id(), 999, io.vitlens.analysis.AnalysisOptions.DEFAULT_SEED);
            assertEquals(expected.rho(), r.path("rho").asDouble(), 1e-12);
            assertEquals(expected.pValue(), r.path("pValue").asDouble(), 1e-12);
        }
    }
}
