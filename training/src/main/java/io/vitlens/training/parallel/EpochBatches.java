package io.vitlens.training.parallel;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * One pass over an epoch's batches as {@code ParallelWrapper} should see them: at most {@code maxBatches}
 * of them, each passed through the label preprocessor (label smoothing) on the dispatching thread before a
 * worker gets it, and no reset.
 *
 * <p>Why no reset: {@code ParallelWrapper.fit} resets a source that has nothing left, which would train an
 * exhausted epoch a second time. Prefetching is the source's business: {@link #asyncSupported()} is the
 * source's answer, so vit-lens's own iterators (which prefetch on their own thread and answer false) are
 * not wrapped again, while a plain in-memory iterator gets DL4J's prefetcher.
 */
final class EpochBatches implements DataSetIterator {
    private final DataSetIterator source;
    private final DataSetPreProcessor labelPre;
    private final int maxBatches;
    private int served;

    /** @param maxBatches batches to serve at most; 0 = all */
    EpochBatches(DataSetIterator source, DataSetPreProcessor labelPre, int maxBatches) {
        this.source = source;
        this.labelPre = labelPre;
        this.maxBatches = maxBatches;
    }

    @Override
    public boolean hasNext() {
        return (maxBatches == 0 || served < maxBatches) && source.hasNext();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) throw new NoSuchElementException("epoch exhausted after " + served + " batches");
        DataSet ds = source.next();
        if (labelPre != null) labelPre.preProcess(ds);
        served++;
        return ds;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("batches come as the source made them; use next()");
    }

    @Override public int inputColumns() { return source.inputColumns(); }
    @Override public int totalOutcomes() { return source.totalOutcomes(); }
    @Override public boolean resetSupported() { return false; }
    @Override public boolean asyncSupported() { return source.asyncSupported(); }
    @Override public int batch() { return source.batch(); }
    @Override public List<String> getLabels() { return source.getLabels(); }
    @Override public DataSetPreProcessor getPreProcessor() { return labelPre; }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("an epoch is trained once; ask the dataset for the next epoch's iterator");
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor p) {
        throw new UnsupportedOperationException("pass the preprocessor to ParallelFit.fitEpoch");
    }
}
