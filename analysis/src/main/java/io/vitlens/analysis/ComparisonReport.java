package io.vitlens.analysis;

import io.vitlens.analysis.claims.ComparisonClaims;
import io.vitlens.analysis.report.ComparisonPage;
import io.vitlens.analysis.report.FigureRenderer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vit report --runs A B ... --out DIR}: the runs' figures side by side (one column per run),
 * a table of their numbers, and the claims only several runs can test, C8 (head-count sweep)
 * and C11 (qkv ablations). Writes {@code comparison.json}, {@code index.html} and
 * {@code figures/<run>/**.png}.
 */
public final class ComparisonReport {

    private ComparisonReport() { }

    /** The verdicts on C8 and C11 for these runs (not-measured, with the reason, where the runs do not allow). */
    public static List<ClaimVerdict> claims(List<RunReport> runs) {
        return List.of(ComparisonClaims.c8(runs), ComparisonClaims.c11(runs));
    }

    public static void write(List<RunReport> runs, Path outDir) throws IOException {
        if (runs == null || runs.isEmpty()) throw new IllegalArgumentException("report: no runs to compare");
        Set<String> folders = new HashSet<>();
        for (RunReport r : runs)
            if (!folders.add(FigureRenderer.safe(r.name())))
                throw new IllegalArgumentException("report: run name '" + r.name() + "' is given twice (or clashes"
                        + " with another after making it file-name safe); give each run a distinct name");
        Files.createDirectories(outDir);
        List<ClaimVerdict> claims = claims(runs);
        List<Map<String, Object>> summary = new ArrayList<>();
        for (RunReport r : runs) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", r.name());
            s.put("finalAccuracy", r.finalAccuracy());
            s.put("model", r.result().model());
            s.put("lastCheckpoint", r.result().last().checkpoint());
            s.put("claims", r.result().claims());
            summary.add(s);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", summary);
        json.put("claims", claims);
        AnalysisJson.writeAtomically(outDir.resolve("comparison.json"), AnalysisJson.mapper().writeValueAsBytes(json));

        List<FigureRenderer.RunFigures> figures = new ArrayList<>();
        for (RunReport r : runs)
            figures.add(new FigureRenderer(outDir, ReportWriter.FIGURES + "/" + FigureRenderer.safe(r.name()))
                    .render(r.result(), false));
        AnalysisJson.writeAtomically(outDir.resolve("index.html"),
                ComparisonPage.render(runs, figures, claims).getBytes(StandardCharsets.UTF_8));
    }
}
