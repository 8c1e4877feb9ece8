package io.vitlens.training.cli;

import io.vitlens.analysis.AnalysisInput;
import io.vitlens.analysis.AnalysisOptions;
import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.Analyzer;
import io.vitlens.analysis.ReportWriter;
import io.vitlens.analysis.claims.Verdicts;
import io.vitlens.analysis.examples.ExampleOptions;
import io.vitlens.core.model.ViTInspector;
import io.vitlens.data.LoadedDataset;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.WriteFailedException;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.weights.LoadedModel;
import io.vitlens.training.weights.WeightsFile;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Measure claims C1-C12 on a run's checkpoints and write analysis.json + index.html with figures.",
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
        Outcome o = analyze(source.run, source.checkpoint, source.weights, which, images, out, data, heads, mean, std,
                examples.toOptions());
        printVerdicts(o);
        System.out.println("report: " + o.report().resolve("index.html") + " (machine-readable: " + o.report().resolve("analysis.json") + ")");
        return 0;
    }

    /** The report directory and what was written there. */
    record Outcome(Path report, AnalysisResult result) { }

    /** The claims' verdicts, one line each, so the terminal says what happened. */
    static void printVerdicts(Outcome o) {
        System.out.println();
        System.out.println("verdicts (" + o.result().last().checkpoint() + " against "
                + o.result().baseline().map(c -> c.checkpoint()).orElse("no epoch-000") + "):");
        for (String line : Verdicts.lines(o.result())) System.out.println("  " + line);
    }

    /** Without example images (as the experiment runner calls it). */
    static Path analyze(Path run, Path checkpoint, Path weights, String which, int images, Path out,
                        CommonOptions.DataOptions data, Integer heads, float[] mean, float[] std) throws Exception {
        return analyze(run, checkpoint, weights, which, images, out, data, heads, mean, std, ExampleOptions.none()).report();
    }

    static Outcome analyze(Path run, Path checkpoint, Path weights, String which, int images, Path out,
                           CommonOptions.DataOptions data, Integer heads, float[] mean, float[] std,
                           ExampleOptions examples) throws Exception {
        if (images <= 0) throw new IllegalArgumentException("--images: " + images + " must be > 0");
        List<LoadedModel> models = new ArrayList<>();
        List<AnalysisInput> inputs = new ArrayList<>();
        ExperimentConfig stored = null;
        Path metrics = null;
        if (run != null) {
            RunDirectory rd = new RunDirectory(run);
            List<Integer> epochs = select(rd, which);
            for (int e : epochs) {
                Checkpoint cp = CheckpointIO.read(rd.checkpoint(e), false);
                stored = cp.config();
                LoadedModel m = new LoadedModel(cp.graph(), cp.vit(), cp.normalization(), cp.file().toString());
                models.add(m);
                inputs.add(new AnalysisInput(String.format("epoch-%03d", e), e, new ViTInspector(m.graph(), m.vit())));
            }
            metrics = rd.metricsJsonl();
            if (out == null) out = rd.report();
        } else if (checkpoint != null) {
            Checkpoint cp = CheckpointIO.read(checkpoint, false);
            stored = cp.config();
            LoadedModel m = new LoadedModel(cp.graph(), cp.vit(), cp.normalization(), checkpoint.toString());
            models.add(m);
            inputs.add(new AnalysisInput(stripZip(checkpoint), cp.meta().epoch(), new ViTInspector(m.graph(), m.vit())));
        } else {
            LoadedModel m = WeightsFile.load(weights, new io.vitlens.training.weights.ImportHints(heads, mean, std, null, null, null, null));
            models.add(m);
            inputs.add(new AnalysisInput(weights.getFileName().toString(), 0, new ViTInspector(m.graph(), m.vit())));
        }
        if (out == null) throw new IllegalArgumentException("--out: required with --checkpoint or --weights");
        if (Files.exists(out) && !Files.isDirectory(out))
            throw new IllegalArgumentException("--out " + out + ": exists and is not a directory; the report is a folder "
                    + "(index.html, analysis.json, figures/)");

        LoadedModel last = models.get(models.size() - 1);
        LoadedDataset ds = ModelData.open(last, stored, data, 250);
        INDArray x = AnalysisImages.load(ds, ModelData.split(data.split), images, last.normalization());

        Analyzer.Analysis analysis;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("analyze").setInitialMax(inputs.size())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" ckpt", 1).build()) {
            analysis = new Analyzer(AnalysisOptions.defaults(), examples).run(inputs, x, metrics, (stage, done, total) -> {
                if ("checkpoints".equals(stage)) bar.stepTo(done);
                else bar.setExtraMessage(stage + " " + done + "/" + total);
            });
        }
        AnalysisResult written;
        try {
            written = ReportWriter.write(analysis.result(), analysis.atlas(), out);
        } catch (java.io.IOException e) {
            throw new WriteFailedException(out, "cannot write the report to " + out + ": " + WriteFailedException.describe(e), e);
        }
        return new Outcome(out, written);
    }

    /** Which checkpoints of a run to analyse; epoch-000 is always included when it exists. */
    static List<Integer> select(RunDirectory rd, String which) throws java.io.IOException {
        List<Integer> present = rd.checkpointEpochs();
        if (present.isEmpty()) throw new IllegalArgumentException("--run " + rd.root() + ": no checkpoints in " + rd.checkpoints());
        Set<Integer> chosen = new LinkedHashSet<>();
        if (present.contains(0)) chosen.add(0);
        String w = which == null ? "all" : which.trim();
        if (w.equals("all")) chosen.addAll(present);
        else if (w.equals("last")) chosen.add(present.get(present.size() - 1));
        else {
            for (String part : w.split(",")) {
                String p = part.trim();
                if (!p.matches("epoch-\\d+"))
                    throw new IllegalArgumentException("--checkpoints: '" + p + "' is not all, last, or epoch-NNN");
                int e = Integer.parseInt(p.substring(6));
                if (!present.contains(e))
                    throw new IllegalArgumentException("--checkpoints: " + p + " is not in " + rd.checkpoints() + " (present: " + present + ")");
                chosen.add(e);
            }
        }
        List<Integer> out = new ArrayList<>(chosen);
        out.sort(null);
        return out;
    }

    private static String stripZip(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
    }
}
