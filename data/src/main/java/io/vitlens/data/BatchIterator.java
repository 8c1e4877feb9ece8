package io.vitlens.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link DataSetIterator} over a fixed number of batches, built ahead of the consumer by one
 * background daemon thread into a bounded queue (so the trainer never waits on decoding or
 * augmentation while the queue holds a batch). Batch k is a pure function of k, so the thread changes
 * when work happens, never what is produced. {@link #reset()} stops the thread and replays from batch
 * 0. {@link #asyncSupported()} is false: DL4J must not wrap it in a second prefetching iterator.
 */
final class BatchIterator implements DataSetIterator, AutoCloseable {
    /** Produces batch {@code index} (0-based); called from the producer thread only. */
    interface BatchSource {
        DataSet batch(int index);
    }

    private static final Object END = new Object();
    /** How often a producer blocked on a full queue checks whether its iterator is still in use. */
    private static final long POLL_MS = 500;

    private final Supplier<BatchSource> sourceFactory;
    private final int numBatches;
    private final int batchSize;
    private final int inputColumns;
    private final int totalOutcomes;
    private final List<String> labels;
    private final int depth;
    private final String threadName;

    private transient BlockingQueue<Object> queue;
    private transient Thread producer;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * @param sourceFactory makes a fresh source (with its own scratch buffers) for each producer thread
     * @param depth         batches built ahead of the consumer, >= 1
     */
    BatchIterator(Supplier<BatchSource> sourceFactory, int numBatches, int batchSize, int inputColumns,
                  int totalOutcomes, List<String> labels, int depth, String threadName) {
        this.sourceFactory = sourceFactory;
        this.numBatches = numBatches;
        this.batchSize = batchSize;
        this.inputColumns = inputColumns;
        this.totalOutcomes = totalOutcomes;
        this.labels = List.copyOf(labels);
        this.depth = depth;
        this.threadName = threadName;
    }

    /** Batches per pass. */
    int numBatches() {
        return numBatches;
    }

    @Override
    public boolean hasNext() {
        return cursor < numBatches;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) throw new NoSuchElementException("all " + numBatches + " batches were returned; call reset()");
        if (producer == null) start();
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + cursor, e);
        }
        if (item instanceof Failure f)
            throw new IllegalStateException("building batch " + cursor + " failed: " + f.error, f.error);
        if (item == END) throw new IllegalStateException("producer ended before batch " + cursor);
        cursor++;
        DataSet ds = (DataSet) item;
        if (preProcessor != null) preProcessor.preProcess(ds);
        return ds;
    }

    private void start() {
        queue = new ArrayBlockingQueue<>(depth + 1);
        Producer p = new Producer(sourceFactory, numBatches, cursor, queue, new WeakReference<>(this));
        producer = new Thread(p, threadName);
        producer.setDaemon(true);
        producer.start();
    }

    /**
     * The producing loop. Holds the iterator only weakly: a consumer that drops an iterator mid-epoch
     * without {@link #close()} (a trainer stopping at a step budget) lets it be collected, and the
     * producer, blocked on the full queue, notices within {@link #POLL_MS} and ends instead of leaking.
     */
    private record Producer(Supplier<BatchSource> sourceFactory, int numBatches, int first, BlockingQueue<Object> queue,
                            WeakReference<BatchIterator> owner) implements Runnable {
        @Override
        public void run() {
            Object tail = END;
            try {
                BatchSource source = sourceFactory.get();
                for (int k = first; k < numBatches; k++)
                    if (!hand(source.batch(k))) return;
            } catch (InterruptedException e) {
                return;   // reset() or close(): nobody waits for the rest
            } catch (RuntimeException | Error e) {
                tail = new Failure(e);
            }
            try {
                hand(tail);
            } catch (InterruptedException e) {
                // closed while handing over the end marker: nobody is waiting
            }
        }

        /** Puts {@code item} on the queue; false when the iterator was garbage-collected meanwhile. */
        private boolean hand(Object item) throws InterruptedException {
            while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS))
                if (owner.get() == null) return false;
            return true;
        }
    }

    /** Stops the producer thread; the iterator can still be reset and used again. */
    @Override
    public void close() {
        Thread t = producer;
        producer = null;
        if (t == null) return;
        t.interrupt();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue = null;
    }

    @Override
    public void reset() {
        close();
        cursor = 0;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("batches have a fixed size of " + batchSize + "; use next()");
    }

    @Override public int inputColumns() { return inputColumns; }
    @Override public int totalOutcomes() { return totalOutcomes; }
    @Override public boolean resetSupported() { return true; }
    @Override public boolean asyncSupported() { return false; }
    @Override public int batch() { return batchSize; }
    @Override public void setPreProcessor(DataSetPreProcessor p) { this.preProcessor = p; }
    @Override public DataSetPreProcessor getPreProcessor() { return preProcessor; }
    @Override public List<String> getLabels() { return labels; }

    private record Failure(Throwable error) {}
}
