package io.vitlens.analysis.job;

import io.vitlens.analysis.CheckpointSource;

import java.nio.file.Path;

/** What an {@link AnalysisJob} analyses: some checkpoints of a run, one checkpoint file, or a model given by the caller. */
public sealed interface AnalysisTarget {

    /**
     * @param dir         the run directory (runs/NAME)
     * @param checkpoints {@code all}, {@code last}, or a list such as {@code epoch-000,epoch-005}
     */
    record Run(Path dir, String checkpoints) implements AnalysisTarget {
        public Run {
            if (dir == null) throw new IllegalArgumentException("analysis target: no run directory");
            if (checkpoints == null) checkpoints = "all";
        }
    }

    /** One checkpoint file, named after the file. */
    record CheckpointFile(Path file) implements AnalysisTarget {
        public CheckpointFile {
            if (file == null) throw new IllegalArgumentException("analysis target: no checkpoint file");
        }
    }

    /** A model the caller loads itself (e.g. a safetensors file, which the training module imports). */
    record Model(CheckpointSource source) implements AnalysisTarget {
        public Model {
            if (source == null) throw new IllegalArgumentException("analysis target: no model");
        }
    }
}
