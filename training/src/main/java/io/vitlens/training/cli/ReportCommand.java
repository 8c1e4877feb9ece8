package io.vitlens.training.cli;

import io.vitlens.analysis.ComparisonReport;
import io.vitlens.analysis.RunReport;
import io.vitlens.training.MetricsWriter;
import io.vitlens.training.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Compare analysed runs side by side (figures in columns, a table, claims C8/C11 over sweeps).",
                "Each run needs RUN/report/analysis.json (vit analyze). Example: vit report --runs runs/h1 runs/h4 --out reports/heads"})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--runs", required = true, arity = "1..*", paramLabel = "RUN",
            description = "Run directories analysed with vit analyze (each holds report/analysis.json).") List<Path> runs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the comparison (index.html, comparison.json).")
    Path out;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        List<RunReport> reports = new ArrayList<>();
        for (Path run : runs) reports.add(load(run));
        ComparisonReport.write(reports, out);
        System.out.println("comparison: " + out.resolve("index.html"));
        return 0;
    }

    static RunReport load(Path run) throws java.io.IOException {
        RunDirectory rd = new RunDirectory(run);
        Path json = rd.report().resolve("analysis.json");
        if (!Files.isRegularFile(json))
            throw new IllegalArgumentException("--runs " + run + ": no " + json + "; run `vit analyze --run " + run + "` first");
        Double acc = null;
        if (Files.isRegularFile(rd.metricsJsonl())) {
            List<Map<String, Object>> lines = MetricsWriter.read(rd.metricsJsonl());
            if (!lines.isEmpty() && lines.get(lines.size() - 1).get("testAccuracy") instanceof Number n) acc = n.doubleValue();
        }
        return RunReport.load(run.getFileName().toString(), json, acc);
    }
}
