package io.vitlens.analysis;

import io.vitlens.analysis.report.ExampleFigures;
import io.vitlens.analysis.report.ExplorePage;
import io.vitlens.analysis.report.FigureRenderer;
import io.vitlens.analysis.report.RunPage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one run's report: {@code analysis.json}, {@code index.html} (self-contained, offline, no
 * scripts), {@code explore.html} (the interactive page, self-contained, offline) and {@code figures/**.png}. Files are written to temporaries and renamed into place, so a crash
 * never leaves a half-written analysis.json or index.html behind.
 */
public final class ReportWriter {

    public static final String FIGURES = "figures";

    private ReportWriter() { }

    public static void write(AnalysisResult r, Path outDir) throws IOException { write(r, null, outDir); }

    /**
     * @param atlas full attention maps for explore.html, or null (as for a result read
     *              back from analysis.json, which does not hold them)
     * @return the result as written, with the example images' figure paths filled in
     */
    public static AnalysisResult write(AnalysisResult r, AttentionAtlas atlas, Path outDir) throws IOException {
        if (r == null) throw new IllegalArgumentException("report: no analysis result to write");
        Files.createDirectories(outDir);
        if (r.exampleImages() != null)
            r = r.withExampleImages(ExampleFigures.render(r.exampleImages(), r.model(), outDir, FIGURES));
        AnalysisJson.write(r, outDir.resolve(AnalysisJson.FILE_NAME));
        FigureRenderer.RunFigures figures = new FigureRenderer(outDir, FIGURES).render(r);
        AnalysisJson.writeAtomically(outDir.resolve(ExplorePage.FILE_NAME),
                ExplorePage.page(r, atlas).getBytes(StandardCharsets.UTF_8));
        AnalysisJson.writeAtomically(outDir.resolve("index.html"),
                RunPage.render(r, figures, atlas).getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
