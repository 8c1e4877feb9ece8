package io.vitlens.analysis;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One run in a comparison report.
 *
 * @param name          the column title (e.g. the run directory name)
 * @param result        the run's analysis (computed now, or read from its analysis.json)
 * @param finalAccuracy test accuracy of the last checkpoint in [0, 1], or null if unknown
 */
public record RunReport(String name, AnalysisResult result, Double finalAccuracy) {

    public RunReport {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("run name: missing");
        if (result == null) throw new IllegalArgumentException("run " + name + ": no analysis result");
        if (result.checkpoints() == null || result.checkpoints().isEmpty())
            throw new IllegalArgumentException("run " + name + ": its analysis has no checkpoints");
        if (finalAccuracy != null && !(finalAccuracy >= 0 && finalAccuracy <= 1))
            throw new IllegalArgumentException("run " + name + ": final accuracy " + finalAccuracy + " is outside [0, 1]");
    }

    /** Reads a run's analysis.json. */
    public static RunReport load(String name, Path analysisJson, Double finalAccuracy) throws IOException {
        return new RunReport(name, AnalysisJson.read(analysisJson), finalAccuracy);
    }
}
