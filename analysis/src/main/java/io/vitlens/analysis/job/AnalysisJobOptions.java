package io.vitlens.analysis.job;

import io.vitlens.analysis.AnalysisOptions;
import io.vitlens.analysis.examples.ExampleOptions;

import java.nio.file.Path;

/**
 * What {@link AnalysisJob} does: which checkpoints, how many images, where the report goes.
 *
 * @param target   the run / checkpoint / model to analyse
 * @param images   the first n images of the split are the analysis images (&gt; 0)
 * @param out      the report directory; null means RUN/report (required for a checkpoint file or a model)
 * @param examples example images traced through the last checkpoint (none by default)
 * @param analysis knobs of the measurements (claims.md's by default)
 */
public record AnalysisJobOptions(AnalysisTarget target, int images, Path out, ExampleOptions examples,
                                 AnalysisOptions analysis) {

    public AnalysisJobOptions {
        if (target == null) throw new IllegalArgumentException("analysis: nothing to analyse");
        if (images <= 0) throw new IllegalArgumentException("--images: " + images + " must be > 0");
        if (examples == null) examples = ExampleOptions.none();
        if (analysis == null) analysis = AnalysisOptions.defaults();
    }

    public static AnalysisJobOptions of(AnalysisTarget target, int images, Path out, ExampleOptions examples) {
        return new AnalysisJobOptions(target, images, out, examples, AnalysisOptions.defaults());
    }
}
