package io.vitlens.analysis;

import io.vitlens.analysis.claims.ClaimEvaluator;
import io.vitlens.analysis.claims.GradientFlowReader;
import io.vitlens.analysis.geometry.PatchGrid;
import io.vitlens.analysis.report.FigureRenderer;
import io.vitlens.core.ViTConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Measures every claim of claims.md on a run: each checkpoint is analysed in turn (epoch order),
 * then the verdicts are judged on the last checkpoint against {@code epoch-000}.
 */
public final class Analyzer {

    private final AnalysisOptions options;

    public Analyzer(AnalysisOptions opts) {
        this.options = opts == null ? AnalysisOptions.defaults() : opts;
    }

    /**
     * @param checkpoints  the checkpoints to analyse (any order; sorted by epoch here)
     * @param images       [n, C, S, S] normalised analysis images: the first n test images in file order
     * @param metricsJsonl the run's metrics.jsonl for C12, or null
     * @param progress     progress callbacks, or null
     */
    public AnalysisResult analyze(List<AnalysisInput> checkpoints, INDArray images, Path metricsJsonl,
                                  ProgressListener progress) {
        if (checkpoints == null || checkpoints.isEmpty())
            throw new IllegalArgumentException("analysis: no checkpoints given");
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        Set<String> names = new HashSet<>();
        for (AnalysisInput c : checkpoints)
            if (!names.add(FigureRenderer.safe(c.checkpointName())))
                throw new IllegalArgumentException("analysis: checkpoint name '" + c.checkpointName() + "' is given twice"
                        + " (or clashes with another once made file-name safe); give each checkpoint a distinct name");
        List<AnalysisInput> ordered = new ArrayList<>(checkpoints);
        ordered.sort(Comparator.comparingInt(AnalysisInput::epoch));
        ViTConfig config = ordered.get(ordered.size() - 1).model().config();

        CheckpointAnalyzer analyzer = new CheckpointAnalyzer(options, listener);
        List<CheckpointAnalysis> results = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            listener.update("checkpoints", i, ordered.size());
            results.add(analyzer.analyze(ordered.get(i), images));
        }
        listener.update("checkpoints", ordered.size(), ordered.size());

        ModelSummary model = ModelSummary.of(config);
        GradientFlowStats gradients = null;
        String gradientsReason = null;
        if (metricsJsonl == null) {
            gradientsReason = "no metrics.jsonl was given, so no gradient norms are available";
        } else if (!Files.isRegularFile(metricsJsonl)) {
            gradientsReason = "metrics file " + metricsJsonl + " does not exist";
        } else {
            try {
                gradients = GradientFlowReader.read(metricsJsonl, model);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + metricsJsonl, e);
            }
        }
        List<ClaimVerdict> claims = ClaimEvaluator.evaluate(results, config.patchSize(), options, gradients, gradientsReason);
        double uniform = new PatchGrid(config.gridSize(), config.patchSize()).uniformMeanDistancePx();
        return new AnalysisResult(AnalysisResult.SCHEMA_VERSION, model, (int) images.size(0), uniform,
                options.headTypes(), results, claims, gradients, gradientsReason);
    }
}
