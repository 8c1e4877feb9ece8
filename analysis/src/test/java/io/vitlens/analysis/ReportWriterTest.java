package io.vitlens.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.vitlens.analysis.FakeRun.CFG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {

    @TempDir
    static Path dir;
    static AnalysisResult result;
    static Path out;
    static String html;

    @BeforeAll
    static void writeTheReportOfAFakeTwoCheckpointRun() throws Exception {
        result = new Analyzer(AnalysisOptions.defaults().withPermutations(199, 3))
                .analyze(List.of(FakeRun.initial(CFG), FakeRun.trained(CFG)), FakeInspector.images(CFG, 6, 2),
                        FakeRun.metrics(dir), null);
        out = dir.resolve("report");
        ReportWriter.write(result, out);
        html = Files.readString(out.resolve("index.html"));
    }

    @Test
    void everyFigureExistsIsAPngAndIsReferencedByTheHtml() throws Exception {
        List<Path> pngs;
        try (Stream<Path> s = Files.walk(out.resolve("figures"))) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).toList();
        }
        // per checkpoint: similarity, components, distance-vs-depth, attention offset, q/k offset; per run: 5
        assertEquals(2 * 5 + 5, pngs.size(), pngs.toString());
        for (Path p : pngs) {
            String rel = out.relativize(p).toString().replace('\\', '/');
            assertTrue(html.contains("src=\"" + rel + "\""), "index.html does not show " + rel);
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, rel + " is not a readable PNG");
            assertTrue(Files.size(p) < 400_000, rel + " is " + Files.size(p) + " bytes");
        }
        Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        int refs = 0;
        while (m.find()) {
            assertTrue(Files.isRegularFile(out.resolve(m.group(1))), "index.html refers to missing " + m.group(1));
            refs++;
        }
        assertTrue(refs >= pngs.size());
    }

    @Test
    void htmlIsSelfContainedAndShowsEveryClaim() {
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "external reference in index.html");
        assertFalse(html.contains("<script"), "index.html must not need JavaScript");
        assertFalse(html.contains("<link"), "index.html must not load stylesheets");
        for (int c = 1; c <= 12; c++) assertTrue(html.contains("<b>C" + c + "</b>"), "claim C" + c + " missing");
        assertTrue(html.contains("blocks.1.attn.k"), "the vanishing gradient group is named");
    }

    @Test
    void analysisJsonParsesBackAndKeepsNaNAsNull() throws Exception {
        Path json = out.resolve("analysis.json");
        AnalysisResult back = AnalysisJson.read(json);
        assertEquals(result.checkpoints().size(), back.checkpoints().size());
        assertEquals(result.last().positionEmbedding().rho(), back.last().positionEmbedding().rho(), 0);
        assertEquals(result.claims().get(0).holds(), back.claims().get(0).holds());
        assertEquals(ClaimVerdict.NOT_MEASURED, back.claim("C8").orElseThrow().holds());
        HeadStats uniform = back.last().heads().stream().filter(h -> h.layer() == 1 && h.head() == 0).findFirst().orElseThrow();
        assertTrue(Double.isNaN(uniform.positionalShare()), "0/0 positional share must come back as NaN");
        JsonNode tree = AnalysisJson.mapper().readTree(json.toFile());
        assertTrue(tree.at("/checkpoints/1/heads/2/positionalShare").isNull());
        assertEquals(result.last().heads().get(0).qkCosineAtOffset(), back.last().heads().get(0).qkCosineAtOffset());
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    /** Every field name documented in the README's schema tables is present in the written JSON. */
    @Test
    void analysisJsonContainsEveryDocumentedField() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String schema = readme.substring(readme.indexOf("## analysis.json schema"), readme.indexOf("## Comparison"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\|").matcher(schema);
        while (m.find()) documented.add(m.group(1));
        assertTrue(documented.size() > 60, "schema tables not found: " + documented);
        Set<String> keys = new HashSet<>();
        collectKeys(AnalysisJson.mapper().readTree(out.resolve("analysis.json").toFile()), keys);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(keys);
        assertTrue(missing.isEmpty(), "documented but not written: " + missing);
        for (String fixed : List.of("positionEmbedding", "rho", "pValue", "rowR2", "colR2", "pcaVarianceShare", "heads",
                "layer", "head", "meanAttentionDistancePx", "entropy", "localMass", "rowMass", "columnMass", "clsMass",
                "positionalShare", "asymmetry", "qkCosineRho", "qkCosineAtOffset", "qkPrincipalAnglesDeg", "type",
                "claims", "id", "value", "baseline", "holds", "reason"))
            assertTrue(keys.contains(fixed), "claims.md name missing: " + fixed);
    }

    private static void collectKeys(JsonNode n, Set<String> keys) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                keys.add(k);
                collectKeys(n.get(k), keys);
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) collectKeys(c, keys);
        }
    }
}
