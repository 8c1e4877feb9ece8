package io.vitlens.analysis;

/**
 * Receives progress of a long analysis so a CLI can draw a progress bar. Called from the
 * analysing thread; implementations must be cheap.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param stage a short human-readable name of the current stage, e.g. {@code "attention epoch-010"}
     * @param done  units of work finished in this stage
     * @param total units of work in this stage
     */
    void update(String stage, long done, long total);

    /** A listener that ignores every update. */
    ProgressListener NONE = (stage, done, total) -> { };
}
