package io.vitlens.analysis;

import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonReportTest {

    @TempDir
    static Path dir;
    /** The fake run of {@link FakeRun} built with 2 heads, 1 head, and the two qkv ablations. */
    static AnalysisResult oneHead, twoHeads, identityV, tied;

    @BeforeAll
    static void analyseFakeRuns() {
        ViTConfig two = FakeRun.CFG;                                // heads 2
        ViTConfig one = ViTConfig.of(16, 3, 4, 16, 2, 1, 32, 10);   // heads 1, otherwise the same
        AnalysisOptions o = AnalysisOptions.defaults().withPermutations(99, 1);
        twoHeads = analyse(two, o);
        oneHead = analyse(one, o);
        identityV = analyse(two.withAblation(ValueProjection.IDENTITY, false), o);
        tied = analyse(two.withAblation(ValueProjection.LEARNED, true), o);
    }

    private static AnalysisResult analyse(ViTConfig cfg, AnalysisOptions o) {
        return new Analyzer(o).analyze(List.of(FakeRun.initial(cfg), FakeRun.trained(cfg)),
                FakeInspector.images(cfg, 10, 1), null, null);
    }

    @Test
    void headCountSweepMeasuresC8() {
        ClaimVerdict c8 = ComparisonReport.claims(List.of(new RunReport("h2", twoHeads, 0.6),
                new RunReport("h1", oneHead, 0.5))).get(0);
        // 1 head: layer 0 right-neighbour (horizontal), layer 1 uniform (global) -> 2 types;
        // 2 heads: horizontal, vertical, global, content -> 4 types (the random per-image head has positional
        // share about 1 / images = 0.1 < 0.3 over 10 images)
        assertEquals("C8", c8.id());
        assertEquals(4.0, c8.value());
        assertEquals(2.0, c8.baseline());
        assertEquals(true, c8.holds());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) c8.details().get("runs");
        assertEquals(List.of(1, 2), rows.stream().map(r -> r.get("heads")).toList());
    }

    @Test
    void ablationRunsMeasureC11() {
        List<ClaimVerdict> v = ComparisonReport.claims(List.of(new RunReport("full", twoHeads, 0.60),
                new RunReport("idv", identityV, 0.50), new RunReport("tie", tied, 0.58)));
        ClaimVerdict c11 = v.get(1);
        assertEquals(0.10, c11.value(), 1e-12);
        assertEquals(0.02, c11.baseline(), 1e-12);
        assertEquals(true, c11.holds());
        assertEquals(ClaimVerdict.NOT_MEASURED, v.get(0).holds()); // all runs have 2 heads: no C8
        ClaimVerdict unknownAccuracy = ComparisonReport.claims(List.of(new RunReport("full", twoHeads, null),
                new RunReport("idv", identityV, 0.5))).get(1);
        assertEquals(ClaimVerdict.NOT_MEASURED, unknownAccuracy.holds());
        assertTrue(unknownAccuracy.reason().contains("accuracy"), unknownAccuracy.reason());
    }

    @Test
    void aSingleRunMeasuresNeither() {
        List<ClaimVerdict> v = ComparisonReport.claims(List.of(new RunReport("only", twoHeads, 0.6)));
        assertEquals(ClaimVerdict.NOT_MEASURED, v.get(0).holds());
        assertTrue(v.get(0).reason().contains("head-count"), v.get(0).reason());
        assertEquals(ClaimVerdict.NOT_MEASURED, v.get(1).holds());
        assertTrue(v.get(1).reason().contains("qkv-ablation"), v.get(1).reason());
    }

    @Test
    void writesSideBySideReportFromAnalysisJsonFiles() throws Exception {
        ReportWriter.write(twoHeads, dir.resolve("run-a"));
        ReportWriter.write(oneHead, dir.resolve("run-b"));
        List<RunReport> runs = List.of(RunReport.load("run-a", dir.resolve("run-a/analysis.json"), 0.6),
                RunReport.load("run-b", dir.resolve("run-b/analysis.json"), null));
        Path out = dir.resolve("cmp");
        ComparisonReport.write(runs, out);
        String html = Files.readString(out.resolve("index.html"));
        Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        int refs = 0;
        while (m.find()) {
            assertTrue(Files.isRegularFile(out.resolve(m.group(1))), "missing " + m.group(1));
            refs++;
        }
        assertTrue(refs >= 2 * 8, "figures per run side by side: " + refs);
        assertTrue(html.contains("figures/run-a/") && html.contains("figures/run-b/"));
        var json = AnalysisJson.mapper().readTree(out.resolve("comparison.json").toFile());
        assertEquals("C8", json.at("/claims/0/id").asText());
        assertEquals(true, json.at("/claims/0/holds").asBoolean());
        assertEquals(2, json.at("/runs").size());
    }

    @Test
    void duplicateRunNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComparisonReport.write(
                List.of(new RunReport("a", twoHeads, null), new RunReport("a", oneHead, null)), dir.resolve("x")));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }
}
