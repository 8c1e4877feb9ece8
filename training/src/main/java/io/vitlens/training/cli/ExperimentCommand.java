package io.vitlens.training.cli;

import io.vitlens.analysis.ComparisonReport;
import io.vitlens.analysis.RunReport;
import io.vitlens.analysis.job.AnalysisJobOptions;
import io.vitlens.analysis.job.AnalysisTarget;
import io.vitlens.training.experiment.ExperimentRunner;
import io.vitlens.training.experiment.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run experiment sweeps: a base config plus arms (overrides).",
        subcommands = {ExperimentCommand.Run.class})
final class ExperimentCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Train every arm (skipping finished ones, resuming stopped ones), analyse each, and write the "
                    + "side-by-side comparison to OUT/report.",
                    "Example: vit experiment run configs/experiments/head-count.yaml"})
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "EXPERIMENT_YAML") Path file;
        @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory (default: runs/NAME).") Path out;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key in every arm (repeatable), e.g. --set train.epochs=2.")
        List<String> overrides = new ArrayList<>();
        @Option(names = "--arms", split = ",", paramLabel = "NAME", description = "Only these arms.") List<String> only;
        @Mixin CommonOptions.Debug debug;

        @Override
        public Integer call() throws Exception {
            ExperimentSpec spec = ExperimentRunner.read(file);
            Path dir = out != null ? out : Path.of("runs", spec.name);
            List<ExperimentRunner.ResolvedArm> arms = ExperimentRunner.resolve(file, spec, dir, overrides);
            if (only != null) arms.removeIf(a -> !only.contains(a.name()));
            List<RunReport> reports = new ArrayList<>();
            int i = 0;
            for (ExperimentRunner.ResolvedArm arm : arms) {
                i++;
                ExperimentRunner.State state = ExperimentRunner.state(arm);
                System.out.printf("== experiment %s: arm %d/%d '%s': %s%n", spec.name, i, arms.size(), arm.name(),
                        state.name().toLowerCase());
                if (state == ExperimentRunner.State.TRAIN || state == ExperimentRunner.State.RESUME)
                    TrainCommand.train(arm.config(), arm.runDir(), state == ExperimentRunner.State.RESUME, false);
                if (state != ExperimentRunner.State.DONE) {
                    CommonOptions.DataOptions data = new CommonOptions.DataOptions();
                    data.split = "test";
                    AnalyzeCommand.run(AnalysisJobOptions.of(new AnalysisTarget.Run(arm.runDir(), spec.analyze.checkpoints),
                            spec.analyze.images, null, null), data);
                }
                reports.add(ReportCommand.load(arm.runDir()));
            }
            Path report = dir.resolve("report");
            ComparisonReport.write(reports, report);
            System.out.println("experiment " + spec.name + " done: " + report.resolve("index.html"));
            return 0;
        }
    }
}
