package io.vitlens.training.cli;

import io.vitlens.analysis.CheckpointSource;
import io.vitlens.analysis.LoadedCheckpoint;
import io.vitlens.analysis.claims.Verdicts;
import io.vitlens.analysis.job.AnalysisJob;
import io.vitlens.analysis.job.AnalysisJobOptions;
import io.vitlens.analysis.job.AnalysisTarget;
import io.vitlens.analysis.trajectory.TrajectoryFiles;
import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.ViTInspector;
import io.vitlens.training.weights.LoadedModel;
import io.vitlens.training.weights.WeightsFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Measure claims C1-C12 on a run's checkpoints and write analysis.json + index.html with figures.",
                "With several checkpoints, trajectory.md (.csv, .json) in the report holds one row per checkpoint: test accuracy,",
                "C1 rho, row/column R^2, layer-0 head distances, head-type counts, C7 rho.",
                "Example: vit analyze --run runs/quickstart --checkpoints all --images 1000"})
final class AnalyzeCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--run", required = true, paramLabel = "DIR", description = "A run directory (runs/NAME).")
        Path run;
        @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "One checkpoint file.")
        Path checkpoint;
        @Option(names = "--weights", required = true, paramLabel = "FILE", description = "timm-named safetensors.")
        Path weights;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Option(names = "--checkpoints", defaultValue = "all", paramLabel = "WHICH",
            description = "With --run: all, last, or a list such as epoch-000,epoch-005 (epoch-000 is always added when present).")
    String which;

    @Option(names = "--images", defaultValue = "1000", description = "Analyse the first n images of the split (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default: RUN/report).")
    Path out;

    @Mixin ExampleImageOptions examples;

    @Option(names = "--heads", paramLabel = "H", description = "For --weights without metadata.") Integer heads;
    @Option(names = "--mean", split = ",", paramLabel = "M",
            description = "Per-channel normalisation mean in [0,1] units, for --weights without metadata.") float[] mean;
    @Option(names = "--std", split = ",", paramLabel = "S",
            description = "Per-channel normalisation std, for --weights without metadata.") float[] std;

    @Mixin CommonOptions.DataOptions data;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        AnalysisJob.Outcome o = run(AnalysisJobOptions.of(target(), images, out, examples.toOptions()), data);
        printVerdicts(o);
        System.out.println("report: " + o.report().resolve("index.html") + " (machine-readable: " + o.report().resolve("analysis.json") + ")");
        System.out.println("trajectory: " + o.report().resolve(TrajectoryFiles.MARKDOWN) + " (also " + TrajectoryFiles.CSV
                + ", " + TrajectoryFiles.JSON + ")");
        return 0;
    }

    /** What the flags name; a safetensors file is imported here (the analysis module reads checkpoints only). */
    private AnalysisTarget target() throws Exception {
        if (source.run != null) return new AnalysisTarget.Run(source.run, which);
        if (source.checkpoint != null) return new AnalysisTarget.CheckpointFile(source.checkpoint);
        if (images <= 0) throw new IllegalArgumentException("--images: " + images + " must be > 0"); // before the import
        LoadedModel m = WeightsFile.load(source.weights, new io.vitlens.training.weights.ImportHints(heads, mean, std, null, null, null, null));
        return new AnalysisTarget.Model(new LoadedModelSource(source.weights.getFileName().toString(), m));
    }

    /** Runs the analysis job with the images of {@code data} and a progress bar on the terminal. */
    static AnalysisJob.Outcome run(AnalysisJobOptions options, CommonOptions.DataOptions data) throws Exception {
        try (ConsoleProgress progress = new ConsoleProgress()) {
            return new AnalysisJob(options).run(AnalysisImages.loader(data), progress);
        }
    }

    /** The claims' verdicts, one line each, so the terminal says what happened. */
    static void printVerdicts(AnalysisJob.Outcome o) {
        System.out.println();
        System.out.println("verdicts (" + o.result().last().checkpoint() + " against "
                + o.result().baseline().map(c -> c.checkpoint()).orElse("no epoch-000") + "):");
        for (String line : Verdicts.lines(o.result())) System.out.println("  " + line);
    }

    /** An imported model, already in memory (epoch 0); released once analysed. */
    private record LoadedModelSource(String name, LoadedModel model) implements CheckpointSource {
        @Override public int epoch() { return 0; }
        @Override public ViTConfig config() { return model.vit(); }
        @Override public Normalization normalization() { return model.normalization(); }
        @Override public LoadedCheckpoint load() {
            return new LoadedCheckpoint(new ViTInspector(model.graph(), model.vit()), model.graph()::close);
        }
    }
}
