package io.vitlens.analysis;

import io.vitlens.analysis.report.ExampleFigures;
import io.vitlens.analysis.report.ExplorePage;
import io.vitlens.analysis.report.FigureRenderer;
import io.vitlens.analysis.report.RunPage;
import io.vitlens.analysis.report.TrajectorySection;
import io.vitlens.analysis.trajectory.Trajectory;
import io.vitlens.analysis.trajectory.TrajectoryFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one run's report: {@code analysis.json}, {@code index.html} (self-contained, offline, no
 * scripts), {@code explore.html} (the interactive page, self-contained, offline), {@code figures/**.png} and, when given, the
 * trajectory ({@code trajectory.csv}, {@code .json}, {@code .md}). Files are written to temporaries and renamed into place, so a crash
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
        return write(r, atlas, null, outDir);
    }

    /**
     * @param trajectory the per-checkpoint trajectory: written as trajectory.csv / .json / .md and as a section of
     *                   index.html with its chart; null writes none of these
     * @return the result as written, with the example images' figure paths filled in
     */
    public static AnalysisResult write(AnalysisResult r, AttentionAtlas atlas, Trajectory trajectory, Path outDir)
            throws IOException {
        if (r == null) throw new IllegalArgumentException("report: no analysis result to write");
        Files.createDirectories(outDir);
        if (r.exampleImages() != null)
            r = r.withExampleImages(ExampleFigures.render(r.exampleImages(), r.model(), outDir, FIGURES));
        AnalysisJson.write(r, outDir.resolve(AnalysisJson.FILE_NAME));
        FigureRenderer.RunFigures figures = new FigureRenderer(outDir, FIGURES).render(r);
        String trajectorySection = null;
        if (trajectory != null) {
            trajectorySection = TrajectorySection.write(trajectory, outDir, FIGURES);
            TrajectoryFiles.write(trajectory, outDir);
        }
        AnalysisJson.writeAtomically(outDir.resolve(ExplorePage.FILE_NAME),
                ExplorePage.page(r, atlas).getBytes(StandardCharsets.UTF_8));
        AnalysisJson.writeAtomically(outDir.resolve("index.html"),
                RunPage.render(r, figures, atlas, trajectorySection).getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
