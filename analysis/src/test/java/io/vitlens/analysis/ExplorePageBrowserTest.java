package io.vitlens.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.vitlens.analysis.examples.ExampleOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.vitlens.analysis.FakeRun.CFG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens the report's explore.html from file:// in a real headless chromium, clicks a patch with a real
 * mouse event and checks that the maps are redrawn with the right answers (FakeRun's layer-0 head 0
 * looks at the right-hand neighbour, so its map from a patch is one bright cell to the right) and
 * that no script error, console error or error log entry appeared. Skipped only when Debian's
 * chromium is not installed (.ci/run installs it).
 */
class ExplorePageBrowserTest {

    @TempDir static Path dir;
    static Path page;

    /** Hashes of the three canvases' pixels and the page's own state. */
    private static final String SNAPSHOT = """
            (function () {
              function h(id) { var c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, x = 0;
                for (var i = 0; i < d.length; i++) x = (x * 31 + d[i]) | 0; return x; }
              return {state: vitExplore.state, renders: vitExplore.renders, errors: vitExplore.errors,
                      grid: h('ex-grid'), pos: h('ex-pos'), att: h('ex-att'), status: document.getElementById('ex-status').textContent,
                      attCaption: document.getElementById('ex-att-cap').textContent};
            })()""";

    @BeforeAll
    static void writeAReportWithExampleImages() throws Exception {
        Analyzer.Analysis a = new Analyzer(AnalysisOptions.defaults().withPermutations(99, 1), ExampleOptions.of(3))
                .run(List.of(FakeRun.initial(CFG), FakeRun.trained(CFG)), FakeInspector.images(CFG, 6, 2),
                        FakeRun.metrics(dir), null);
        Path out = dir.resolve("report");
        ReportWriter.write(a.result(), a.atlas(), out);
        page = out.resolve("explore.html");
    }

    private static void requireChromium() {
        assumeTrue(Files.isExecutable(HeadlessChromium.BINARY),
                "skipped: " + HeadlessChromium.BINARY + " is not installed (Debian package chromium; .ci/run installs it)");
    }

    private static HeadlessChromium open(Path html, String profile) throws Exception {
        HeadlessChromium c = new HeadlessChromium(dir.resolve(profile));
        c.call("Runtime.enable", null);
        c.call("Log.enable", null);
        c.call("Page.enable", null);
        c.call("Page.navigate", HeadlessChromium.params().put("url", html.toUri().toString()));
        c.awaitEvent("Page.loadEventFired", Duration.ofSeconds(30));
        return c;
    }

    /** [r, g, b] at the centre of patch (row, col) of a map canvas. */
    private static List<Integer> pixel(HeadlessChromium c, String canvas, int row, int col) throws Exception {
        JsonNode p = c.eval("(function () { var cv = document.getElementById('" + canvas + "'), g = " + FakeRun.G + ";"
                + " var x = Math.floor((" + col + " + 0.5) * cv.width / g), y = Math.floor((" + row + " + 0.5) * cv.height / g);"
                + " return Array.from(cv.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)); })()");
        return List.of(p.get(0).asInt(), p.get(1).asInt(), p.get(2).asInt());
    }

    private static void choose(HeadlessChromium c, String select, String value) throws Exception {
        c.eval("(function () { var s = document.getElementById('" + select + "'); s.value = '" + value + "';"
                + " s.dispatchEvent(new Event('change')); return s.value; })()");
    }

    private static final List<Integer> TOP = List.of(0xfd, 0xe7, 0x25);    // viridis(1)
    private static final List<Integer> BOTTOM = List.of(0x44, 0x01, 0x54); // viridis(0)

    @Test
    void clickingAPatchRedrawsItsMapsWithTheRightAnswersAndLogsNoError() throws Exception {
        requireChromium();
        try (HeadlessChromium c = open(page, "profile-explore")) {
            JsonNode start = c.eval(SNAPSHOT);
            assertEquals("epoch-005", c.eval("document.getElementById('ex-ckpt').selectedOptions[0].textContent").asText());
            int centre = FakeRun.G / 2 * FakeRun.G + FakeRun.G / 2; // patch (2, 2)
            assertEquals(centre, start.path("state").path("query").asInt(), start.toString());

            choose(c, "ex-head", "0"); // layer 0, head 0: looks at the right-hand neighbour
            JsonNode head0 = c.eval(SNAPSHOT);
            assertNotEquals(start.path("att").asInt(), head0.path("att").asInt(), "choosing a head did not redraw its map");
            assertEquals(TOP, pixel(c, "ex-att", 2, 3), "head 0 from (2, 2) should light up (2, 3) only");
            assertEquals(BOTTOM, pixel(c, "ex-att", 2, 2));

            JsonNode rect = c.eval("(function () { var e = document.getElementById('ex-grid'); e.scrollIntoView();"
                    + " var r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })()");
            double cell = rect.path("w").asDouble() / FakeRun.G;
            c.click(rect.path("x").asDouble() + 1.5 * cell, rect.path("y").asDouble() + 0.5 * cell); // patch (0, 1)
            JsonNode clicked = c.eval(SNAPSHOT);
            assertEquals(1, clicked.path("state").path("query").asInt(), clicked.toString());
            assertEquals(head0.path("renders").asInt() + 1, clicked.path("renders").asInt());
            assertNotEquals(head0.path("pos").asInt(), clicked.path("pos").asInt(), "the similarity map did not change");
            assertNotEquals(head0.path("att").asInt(), clicked.path("att").asInt(), "the attention map did not change");
            assertNotEquals(head0.path("grid").asInt(), clicked.path("grid").asInt(), "the chosen patch was not marked");
            assertEquals(TOP, pixel(c, "ex-att", 0, 2), "head 0 from (0, 1) should light up (0, 2)");
            assertEquals(BOTTOM, pixel(c, "ex-att", 0, 1));
            assertEquals(TOP, pixel(c, "ex-pos", 0, 1), "cos(p, p) = 1 is the top of the [-1, 1] bar");
            assertTrue(clicked.path("status").asText().contains("query patch (0, 1)"), clicked.toString());

            choose(c, "ex-image", "0"); // the first example image under the map
            JsonNode onImage = c.eval(SNAPSHOT);
            assertNotEquals(clicked.path("att").asInt(), onImage.path("att").asInt(), "the example image was not drawn");
            assertTrue(onImage.path("attCaption").asText().contains("test image 0"), onImage.toString());

            choose(c, "ex-ckpt", "0"); // epoch-000: another checkpoint, back to the mean image
            JsonNode init = c.eval(SNAPSHOT);
            assertEquals(-1, init.path("state").path("image").asInt());
            assertNotEquals(onImage.path("pos").asInt(), init.path("pos").asInt(), "the checkpoint's similarity map was not drawn");

            assertEquals(0, init.path("errors").size(), "page errors: " + init.path("errors"));
            assertEquals(List.of(), c.errors());

            // the report links to the page, and following the link from index.html loads it
            c.call("Page.navigate", HeadlessChromium.params().put("url", page.resolveSibling("index.html").toUri().toString()));
            c.eval("new Promise(function (ok) { if (document.readyState === 'complete') ok(1); else addEventListener('load', function () { ok(1); }); })");
            c.eval("document.querySelector('a[href=\"explore.html\"]').click(), true");
            boolean arrived = false;
            for (int i = 0; i < 200 && !arrived; i++) { // the old page's context goes away mid-way: poll
                try {
                    arrived = c.eval("location.href.endsWith('/explore.html') && !!window.vitExplore && vitExplore.renders > 0").asBoolean();
                } catch (IllegalStateException navigating) {
                    arrived = false;
                }
                if (!arrived) Thread.sleep(50);
            }
            assertTrue(arrived, "the link in index.html did not open a working explore.html");
            assertEquals(List.of(), c.errors());
        }
    }

    @Test
    void theHarnessSeesAScriptErrorWhenThereIsOne() throws Exception {
        requireChromium();
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><script>noSuchFunction();</script></body></html>");
        try (HeadlessChromium c = open(broken, "profile-broken")) {
            List<String> errors = c.errors();
            assertFalse(errors.isEmpty(), "a thrown ReferenceError went unnoticed");
            assertTrue(errors.get(0).contains("noSuchFunction"), errors.toString());
        }
    }
}
