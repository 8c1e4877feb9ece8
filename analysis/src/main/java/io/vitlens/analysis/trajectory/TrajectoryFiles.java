package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.AnalysisJson;
import io.vitlens.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/** Writes {@code trajectory.csv}, {@code trajectory.json} and {@code trajectory.md} into a report directory, each atomically. */
public final class TrajectoryFiles {

    public static final String CSV = "trajectory.csv";
    public static final String JSON = "trajectory.json";
    public static final String MARKDOWN = "trajectory.md";

    private TrajectoryFiles() { }

    public static void write(Trajectory t, Path outDir) throws IOException {
        AtomicFiles.writeString(outDir.resolve(CSV), TrajectoryTables.csv(t));
        AtomicFiles.writeBytes(outDir.resolve(JSON), AnalysisJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(t));
        AtomicFiles.writeString(outDir.resolve(MARKDOWN), TrajectoryTables.markdown(t));
    }
}
