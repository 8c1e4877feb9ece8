package io.vitlens.training.cli;

import io.vitlens.analysis.job.AnalysisJob;
import io.vitlens.analysis.job.AnalysisJobOptions;
import io.vitlens.analysis.job.AnalysisTarget;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train a small ViT on the generated synthetic-shapes set (about 2 1/2 minutes on 2 cores), then",
                "write the analysis report, and print where it is. Uses the embedded configs/quickstart.yaml."})
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR", description = "Run directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a quickstart config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--images", defaultValue = "1000", description = "Images the analysis uses (default: ${DEFAULT-VALUE}).")
    int images;

    @Mixin ExampleImageOptions examples;

    @Option(names = "--overwrite", description = "Replace an existing run in --out.") boolean overwrite;
    @Option(names = "--resume", description = "Continue the run in --out.") boolean resume;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = ConfigLoader.parse(embedded(), "configs/quickstart.yaml (embedded)", overrides);
        TrainCommand.train(cfg, out, resume, overwrite);
        CommonOptions.DataOptions data = new CommonOptions.DataOptions();
        data.split = "test";
        AnalysisJob.Outcome o = AnalyzeCommand.run(
                AnalysisJobOptions.of(new AnalysisTarget.Run(out, "all"), images, null, examples.toOptions()), data);
        Path report = o.report();
        AnalyzeCommand.printVerdicts(o);
        System.out.println();
        System.out.println("quickstart done. Open the report in a browser: " + report.resolve("index.html").toAbsolutePath());
        System.out.println("numbers for machines: " + report.resolve("analysis.json"));
        return 0;
    }

    static String embedded() throws IOException {
        return resource("quickstart");
    }

    /** A shipped config from the classpath copy of configs/. */
    static String resource(String name) throws IOException {
        try (InputStream in = QuickstartCommand.class.getResourceAsStream("/configs/" + name + ".yaml")) {
            if (in == null) throw new IOException("configs/" + name + ".yaml is missing from the classpath (broken build?)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
