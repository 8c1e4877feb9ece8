package io.vitlens.data.io;

import io.vitlens.data.DatasetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes images on a fixed pool while the caller keeps reading (an archive is read sequentially by one
 * thread; decoding is the expensive part and parallelises). Work goes out in chunks of
 * {@link #CHUNK} images to keep task overhead below the ~50 us a 32x32 JPEG takes, and at most
 * {@code 4 * threads} chunks are in flight so encoded bytes never pile up in memory. An undecodable image
 * is recorded on its entry ({@code error}), not thrown: the caller decides whether to skip it.
 */
final class ParallelDecoder implements AutoCloseable {
    static final int CHUNK = 256;

    private final int size;
    private final ExecutorService pool;
    private final ThreadLocal<ImageDecoder> decoders;
    private final Semaphore inFlight;
    private final List<Future<?>> futures = new ArrayList<>();
    private List<Item> chunk = new ArrayList<>(CHUNK);

    private record Item(ImageFolderReader.ImageEntry entry, byte[] encoded, Path file) {}

    ParallelDecoder(int size, int threads) {
        if (threads < 1) throw new IllegalArgumentException("decoding threads: " + threads + " must be >= 1");
        this.size = size;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vitlens-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.decoders = ThreadLocal.withInitial(() -> new ImageDecoder(size));
        this.inFlight = new Semaphore(4 * threads);
    }

    void submit(ImageFolderReader.ImageEntry e, byte[] encoded) throws IOException {
        add(new Item(e, encoded, null));
    }

    void submit(ImageFolderReader.ImageEntry e, Path file) throws IOException {
        add(new Item(e, null, file));
    }

    private void add(Item item) throws IOException {
        chunk.add(item);
        if (chunk.size() == CHUNK) flush();
    }

    private void flush() throws IOException {
        if (chunk.isEmpty()) return;
        List<Item> work = chunk;
        chunk = new ArrayList<>(CHUNK);
        try {
            inFlight.acquire();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decoding images");
        }
        futures.add(pool.submit(() -> {
            try {
                ImageDecoder d = decoders.get();
                for (Item it : work) decode(d, it);
            } finally {
                inFlight.release();
            }
        }));
    }

    private void decode(ImageDecoder d, Item it) {
        byte[] encoded = it.encoded;
        if (encoded == null) {
            try {
                encoded = Files.readAllBytes(it.file);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        byte[] out = new byte[3 * size * size];
        try {
            d.decode(encoded, out);
            it.entry.pixels = out;
        } catch (IOException | RuntimeException ex) {
            String why = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            it.entry.error = why;
        }
    }

    /** Submits the last partial chunk and waits for everything; rethrows read failures. */
    void finish() throws IOException {
        flush();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while decoding images");
            } catch (ExecutionException ex) {
                Throwable c = ex.getCause();
                if (c instanceof UncheckedIOException u) throw u.getCause();
                throw new DatasetException("image decoding failed: " + c, c);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
