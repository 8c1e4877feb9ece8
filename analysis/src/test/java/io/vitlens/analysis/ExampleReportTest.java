package io.vitlens.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.vitlens.analysis.examples.ExampleOptions;
import io.vitlens.analysis.examples.HeadFusion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.vitlens.analysis.FakeRun.CFG;
import static io.vitlens.analysis.FakeRun.G;
import static io.vitlens.analysis.FakeRun.N;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example-image part of a report on FakeRun, whose trained layer 0 has known heads. */
class ExampleReportTest {

    @TempDir static Path dir;
    static AnalysisResult written;
    static Path out;

    @BeforeAll
    static void writeAReportWithThreeExampleImages() throws Exception {
        Analyzer.Analysis a = new Analyzer(AnalysisOptions.defaults().withPermutations(99, 1),
                new ExampleOptions(3, 1, 1, List.of(HeadFusion.MEAN, HeadFusion.MIN)))
                .run(List.of(FakeRun.initial(CFG), FakeRun.trained(CFG)), FakeInspector.images(CFG, 6, 2), null, null);
        out = dir.resolve("report");
        written = ReportWriter.write(a.result(), a.atlas(), out);
    }

    @Test
    void theLastCheckpointsQueryMapsAreTheKnownHeads() {
        ExampleImages e = written.exampleImages();
        assertEquals("epoch-005", e.checkpoint());
        assertEquals(1 * G + 1, e.queryPatch());
        assertEquals(List.of("mean", "min"), e.rolloutFusions());
        assertEquals("cls", e.rolloutReadout());
        assertEquals(List.of(0, 1, 2), e.images().stream().map(ExampleImage::index).toList());
        for (ExampleImage im : e.images()) {
            double[] right = new double[N], down = new double[N];
            right[1 * G + 2] = 1; // layer 0 head 0 looks right: from (1, 1) to (1, 2)
            down[2 * G + 1] = 1;  // head 1 looks down: to (2, 1)
            assertArrayEquals(right, im.queryAttention()[0][0], 1e-6);
            assertArrayEquals(down, im.queryAttention()[0][1], 1e-6);
            // the CLS row of FakeRun's neighbour maps is uniform over T tokens: 1/T on every patch
            for (double v : im.clsAttentionMeanOfHeads()[0]) assertEquals(1.0 / FakeRun.T, v, 1e-6);
            assertEquals(CFG.imageSize(), im.pixels().length);
        }
    }

    @Test
    void figuresAreWrittenListedInAnalysisJsonAndShownInTheHtml() throws Exception {
        String html = Files.readString(out.resolve("index.html"));
        JsonNode json = AnalysisJson.mapper().readTree(out.resolve("analysis.json").toFile());
        JsonNode images = json.path("exampleImages").path("images");
        assertEquals(3, images.size());
        for (JsonNode im : images)
            for (String kind : List.of("cls", "rollout", "query")) {
                String rel = im.path("figures").path(kind).asText();
                assertTrue(rel.startsWith("figures/epoch-005/examples/image-000"), rel);
                BufferedImage png = ImageIO.read(out.resolve(rel).toFile());
                assertNotNull(png, rel);
                assertTrue(html.contains("src=\"" + rel + "\""), "index.html does not show " + rel);
            }
        AnalysisResult back = AnalysisJson.read(out.resolve("analysis.json"));
        assertEquals(written.exampleImages().images().get(2).rollout().get("min")[5],
                back.exampleImages().images().get(2).rollout().get("min")[5]);
        assertArrayEquals(written.exampleImages().images().get(0).pixels()[3], back.exampleImages().images().get(0).pixels()[3]);
    }

    @Test
    void withoutExampleImagesTheKeyIsNullAndNothingIsDrawn() throws Exception {
        AnalysisResult r = new Analyzer(AnalysisOptions.defaults().withPermutations(9, 1))
                .analyze(List.of(FakeRun.trained(CFG)), FakeInspector.images(CFG, 2, 1), null, null);
        assertNull(r.exampleImages());
        ReportWriter.write(r, dir.resolve("plain"));
        assertTrue(AnalysisJson.mapper().readTree(dir.resolve("plain/analysis.json").toFile()).path("exampleImages").isNull());
        assertTrue(Files.notExists(dir.resolve("plain/figures/epoch-005/examples")));
    }

    @Test
    void aQueryPatchOffTheGridFailsBeforeTheAnalysisRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new Analyzer(null, new ExampleOptions(1, G, 0, null))
                        .run(List.of(FakeRun.trained(CFG)), FakeInspector.images(CFG, 2, 1), null, null));
        assertEquals("query patch (" + G + ", 0) is off the " + G + "x" + G + " grid (rows and columns 0.." + (G - 1) + ")",
                e.getMessage());
    }
}
