package io.vitlens.core.model.kernels;

import java.util.stream.IntStream;

/**
 * Splits row-wise kernel work into fixed-size chunks and runs them on the common fork-join pool.
 *
 * <p>Why: the Java loops would otherwise leave the second core idle between BLAS calls. The chunk
 * size depends only on the data, never on the thread count, so partial sums reduced in chunk order give
 * bit-identical results on every machine and run.
 */
final class RowChunks {

    /** Below this many elements a kernel runs on the calling thread: forking costs more than it saves. */
    static final long PARALLEL_THRESHOLD = 1 << 15;

    interface Body {
        void run(int chunk, int rowStart, int rowEnd);
    }

    private RowChunks() {
    }

    /** Rows per chunk for rows of {@code cols} elements: about 16k elements, at least one row. */
    static int chunkRows(int cols) {
        return Math.max(1, (1 << 14) / Math.max(1, cols));
    }

    static int count(int rows, int cols) {
        int per = chunkRows(cols);
        return (rows + per - 1) / per;
    }

    /** Runs {@code body} over chunks of [0, rows); in parallel if the work is large. */
    static void run(int rows, int cols, Body body) {
        int per = chunkRows(cols);
        int chunks = count(rows, cols);
        if ((long) rows * cols < PARALLEL_THRESHOLD || chunks == 1) {
            for (int c = 0; c < chunks; c++) body.run(c, c * per, Math.min(rows, (c + 1) * per));
        } else {
            IntStream.range(0, chunks).parallel().forEach(c -> body.run(c, c * per, Math.min(rows, (c + 1) * per)));
        }
    }
}
