package io.vitlens.analysis;

import io.vitlens.analysis.report.FigureRenderer;
import io.vitlens.analysis.report.RunPage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one run's report: {@code analysis.json}, {@code index.html} (self-contained, offline) and
 * {@code figures/**.png}. Files are written to temporaries and renamed into place, so a crash
 * never leaves a half-written analysis.json or index.html behind.
 */
public final class ReportWriter {

    public static final String FIGURES = "figures";

    private ReportWriter() { }

    public static void write(AnalysisResult r, Path outDir) throws IOException {
        if (r == null) throw new IllegalArgumentException("report: no analysis result to write");
        Files.createDirectories(outDir);
        AnalysisJson.write(r, outDir.resolve(AnalysisJson.FILE_NAME));
        FigureRenderer.RunFigures figures = new FigureRenderer(outDir, FIGURES).render(r);
        AnalysisJson.writeAtomically(outDir.resolve("index.html"),
                RunPage.render(r, figures).getBytes(StandardCharsets.UTF_8));
    }
}
