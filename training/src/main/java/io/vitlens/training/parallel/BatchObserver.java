package io.vitlens.training.parallel;

/**
 * Told about every finished training batch, for progress bars. Called from the worker thread that trained
 * the batch, but never concurrently: {@link ParallelFit} serialises all callbacks with one lock.
 */
@FunctionalInterface
public interface BatchObserver {
    /**
     * @param imagesDone images trained so far in this epoch, this batch included
     * @param loss       the batch's mean cross-entropy (against the labels after {@code labelPre}), weight decay excluded
     */
    void batchDone(long imagesDone, double loss);
}
