package io.vitlens.analysis;

import io.vitlens.analysis.claims.ClaimEvaluator;
import io.vitlens.analysis.claims.GradientFlowReader;
import io.vitlens.analysis.examples.ExampleImageAnalyzer;
import io.vitlens.analysis.examples.ExampleOptions;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures every claim of claims.md on a run: each checkpoint is analysed in turn (epoch order),
 * then the verdicts are judged on the last checkpoint against {@code epoch-000}. Optionally traces
 * a few example images through the last checkpoint for the per-image figures.
 */
public final class Analyzer {

    /** The numbers (analysis.json) and the full attention maps for the interactive page. */
    public record Analysis(AnalysisResult result, AttentionAtlas atlas) { }

    /**
     * Cap on the attention values (L * H * N * N per checkpoint) kept for the interactive page: about
     * 4 MB of explore.html once quantised to a byte each; checkpoints beyond it are thinned evenly. The
     * example images' own maps have a cap of the same size, all or none.
     */
    static final long ATLAS_VALUE_BUDGET = 3_000_000L;

    private final AnalysisOptions options;
    private final ExampleOptions examples;

    public Analyzer(AnalysisOptions opts) { this(opts, null); }

    public Analyzer(AnalysisOptions opts, ExampleOptions examples) {
        this.options = opts == null ? AnalysisOptions.defaults() : opts;
        this.examples = examples == null ? ExampleOptions.none() : examples;
    }

    /** The numbers only; see {@link #run}. */
    public AnalysisResult analyze(List<AnalysisInput> checkpoints, INDArray images, Path metricsJsonl,
                                  ProgressListener progress) {
        return run(checkpoints, images, metricsJsonl, progress).result();
    }

    /**
     * @param checkpoints  the checkpoints to analyse (any order; sorted by epoch here), already in memory
     * @param images       [n, C, S, S] normalised analysis images: the first n test images in file order
     * @param metricsJsonl the run's metrics.jsonl for C12, or null
     * @param progress     progress callbacks, or null
     */
    public Analysis run(List<AnalysisInput> checkpoints, INDArray images, Path metricsJsonl, ProgressListener progress) {
        if (checkpoints == null || checkpoints.isEmpty())
            throw new IllegalArgumentException("analysis: no checkpoints given");
        return runInTurn(checkpoints.stream().map(CheckpointSource::inMemory).toList(), images, metricsJsonl, progress);
    }

    /**
     * The same as {@link #run}, loading each checkpoint when its turn comes and releasing it before the next is
     * loaded, so at most one checkpoint's weights are held at a time (the last stays loaded for the example images).
     *
     * @param checkpoints the checkpoints to analyse (any order; sorted by epoch here)
     */
    public Analysis runInTurn(List<? extends CheckpointSource> checkpoints, INDArray images, Path metricsJsonl,
                              ProgressListener progress) {
        if (checkpoints == null || checkpoints.isEmpty())
            throw new IllegalArgumentException("analysis: no checkpoints given");
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        Set<String> names = new HashSet<>();
        for (CheckpointSource c : checkpoints)
            if (!names.add(FigureRenderer.safe(c.name())))
                throw new IllegalArgumentException("analysis: checkpoint name '" + c.name() + "' is given twice"
                        + " (or clashes with another once made file-name safe); give each checkpoint a distinct name");
        List<CheckpointSource> ordered = new ArrayList<>(checkpoints);
        ordered.sort(Comparator.comparingInt(CheckpointSource::epoch));
        ViTConfig config = ordered.get(ordered.size() - 1).config();
        if (examples.count() > 0) examples.queryPatch(config.gridSize()); // fail before the long part

        CheckpointAnalyzer analyzer = new CheckpointAnalyzer(options, listener);
        List<CheckpointAnalysis> results = new ArrayList<>(ordered.size());
        long perMap = (long) config.depth() * config.heads() * config.numPatches() * config.numPatches();
        Set<Integer> kept = atlasCheckpoints(ordered.size(), perMap);
        Map<String, float[][][]> maps = new LinkedHashMap<>();
        LoadedCheckpoint last = null; // kept loaded after the loop only for the example images
        try {
            for (int i = 0; i < ordered.size(); i++) {
                listener.update("checkpoints", i, ordered.size());
                CheckpointSource source = ordered.get(i);
                LoadedCheckpoint loaded = source.load();
                boolean keep = false;
                try {
                    CheckpointAnalyzer.Measured m = analyzer.analyze(
                            new AnalysisInput(source.name(), source.epoch(), loaded.model()), images);
                    results.add(m.analysis());
                    if (kept.contains(i)) maps.put(m.analysis().checkpoint(), m.meanAttention());
                    keep = i == ordered.size() - 1 && examples.count() > 0;
                    if (keep) last = loaded;
                } finally {
                    if (!keep) loaded.close(); // release before the next one is loaded
                }
            }
            listener.update("checkpoints", ordered.size(), ordered.size());

            ExampleImages exampleImages = null;
            float[][][][] exampleMaps = null;
            if (last != null) {
                String lastName = ordered.get(ordered.size() - 1).name();
                listener.update("example images " + lastName, 0, 1);
                // the images' own maps go to the page only while they fit the same budget as the checkpoints' maps
                boolean keepMaps = (long) examples.count() * perMap <= ATLAS_VALUE_BUDGET;
                ExampleImageAnalyzer.Output ex = ExampleImageAnalyzer.analyze(last.model(), lastName, images,
                        examples, keepMaps);
                exampleImages = ex.summary();
                exampleMaps = ex.patchAttention();
                listener.update("example images " + lastName, 1, 1);
            }
            return finish(config, results, images, metricsJsonl, exampleImages, maps, exampleMaps);
        } finally {
            if (last != null) last.close();
        }
    }

    /** Verdicts and the result, once every checkpoint is measured. */
    private Analysis finish(ViTConfig config, List<CheckpointAnalysis> results, INDArray images, Path metricsJsonl,
                            ExampleImages exampleImages, Map<String, float[][][]> maps, float[][][][] exampleMaps) {
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
        AnalysisResult result = new AnalysisResult(AnalysisResult.SCHEMA_VERSION, model, (int) images.size(0), uniform,
                options.headTypes(), results, claims, gradients, gradientsReason, exampleImages);
        return new Analysis(result, new AttentionAtlas(maps,
                exampleImages == null ? null : exampleImages.checkpoint(), exampleMaps));
    }

    /** Indices (in epoch order) of the checkpoints whose maps fit the page's budget: spread evenly, first and last kept. */
    static Set<Integer> atlasCheckpoints(int count, long valuesPerCheckpoint) {
        int fit = (int) Math.max(1, Math.min(count, ATLAS_VALUE_BUDGET / Math.max(1, valuesPerCheckpoint)));
        Set<Integer> out = new HashSet<>();
        if (fit == 1) { out.add(count - 1); return out; }
        for (int k = 0; k < fit; k++) out.add((int) Math.round(k * (count - 1) / (double) (fit - 1)));
        return out;
    }
}
