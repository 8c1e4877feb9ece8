package io.vitlens.analysis.job;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.Analyzer;
import io.vitlens.analysis.CheckpointSource;
import io.vitlens.analysis.ProgressListener;
import io.vitlens.analysis.ReportWriter;
import io.vitlens.analysis.trajectory.TestAccuracies;
import io.vitlens.analysis.trajectory.Trajectory;
import io.vitlens.core.io.WriteFailedException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Analyses a run's checkpoints (or one checkpoint, or one model) and writes the report: reads every checkpoint's
 * header first (cheap), loads the analysis images for the last one, then loads, analyses and releases the
 * checkpoints one at a time, so a long run's 20-40 graphs are never in memory together. Reads checkpoints with
 * vit-core alone; the caller supplies the images (it knows the datasets).
 */
public final class AnalysisJob {

    /** The report directory and the result as written there. */
    public record Outcome(Path report, AnalysisResult result) { }

    private final AnalysisJobOptions options;

    public AnalysisJob(AnalysisJobOptions options) {
        if (options == null) throw new IllegalArgumentException("analysis: no options");
        this.options = options;
    }

    /**
     * @param images   loads the analysis images for the last checkpoint analysed
     * @param progress progress callbacks ("checkpoints" done/total, then per-checkpoint stages), or null
     */
    public Outcome run(AnalysisImageLoader images, ProgressListener progress) throws IOException {
        List<CheckpointSource> sources = new ArrayList<>();
        Path metrics = null;
        Path out = options.out();
        if (options.target() instanceof AnalysisTarget.Run run) {
            RunCheckpoints rc = new RunCheckpoints(run.dir());
            for (int e : rc.select(run.checkpoints()))
                sources.add(new CheckpointFileSource(rc.checkpoint(e), String.format("epoch-%03d", e), e));
            metrics = rc.metricsJsonl();
            if (out == null) out = rc.report();
        } else if (options.target() instanceof AnalysisTarget.CheckpointFile file) {
            sources.add(CheckpointFileSource.of(file.file()));
        } else if (options.target() instanceof AnalysisTarget.Model model) {
            sources.add(model.source());
        }
        checkOut(out);

        CheckpointSource last = sources.get(sources.size() - 1);
        INDArray x = images.load(last, options.images()); // [n, C, S, S]
        Analyzer.Analysis analysis = new Analyzer(options.analysis(), options.examples())
                .runInTurn(sources, x, metrics, progress);
        Trajectory trajectory = Trajectory.of(analysis.result(), TestAccuracies.read(metrics));
        try {
            return new Outcome(out, ReportWriter.write(analysis.result(), analysis.atlas(), trajectory, out));
        } catch (IOException e) {
            throw new WriteFailedException(out, "cannot write the report to " + out + ": " + WriteFailedException.describe(e), e);
        }
    }

    private static void checkOut(Path out) {
        if (out == null) throw new IllegalArgumentException("--out: required with --checkpoint or --weights");
        if (Files.exists(out) && !Files.isDirectory(out))
            throw new IllegalArgumentException("--out " + out + ": exists and is not a directory; the report is a folder "
                    + "(index.html, analysis.json, figures/)");
    }
}
