package io.vitlens.training.cli;

import picocli.CommandLine.Command;

@Command(name = "vit", mixinStandardHelpOptions = true, version = "vit-lens 0.1.0",
        description = {"Train Vision Transformers and see how their position embeddings and per-head query/key "
                + "geometry become spatially structured."},
        subcommands = {QuickstartCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class,
                AnalyzeCommand.class, ReportCommand.class, ExportCommand.class, ImportCommand.class,
                DataCommand.class, FetchCommand.class, BenchCommand.class, ExperimentCommand.class, picocli.CommandLine.HelpCommand.class})
final class VitCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
