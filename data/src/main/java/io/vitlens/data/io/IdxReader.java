package io.vitlens.data.io;

import io.vitlens.data.DatasetException;
import io.vitlens.data.DatasetKind;
import io.vitlens.data.ImageSet;
import io.vitlens.data.RawDataset;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/; Fashion-MNIST uses the same format):
 * a big-endian header (magic 0x00000803 + count, rows, cols for images; 0x00000801 + count for labels)
 * followed by uint8 data. Each file may be gzip-compressed (detected by its magic bytes) and may be
 * named {@code train-images-idx3-ubyte[.gz]} or {@code train-images.idx3-ubyte[.gz]}.
 */
public final class IdxReader {
    static final int IMAGE_MAGIC = 0x00000803;
    static final int LABEL_MAGIC = 0x00000801;

    /** Fashion-MNIST class names, index = label (github.com/zalandoresearch/fashion-mnist, "Labels"). */
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final List<String> DIGITS = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    private IdxReader() {}

    public static RawDataset read(Path dir, DatasetKind kind) throws IOException {
        if (kind != DatasetKind.MNIST && kind != DatasetKind.FASHION_MNIST)
            throw new IllegalArgumentException("not an IDX dataset: " + kind.id());
        if (!Files.isDirectory(dir))
            throw new DatasetException(kind.id() + ": " + dir + " is not a folder; expected train-images-idx3-ubyte[.gz], "
                    + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] in it"
                    + (kind == DatasetKind.FASHION_MNIST ? " (Debian: apt-get install dataset-fashion-mnist)" : ""));
        List<String> classes = kind == DatasetKind.FASHION_MNIST ? FASHION_CLASSES : DIGITS;
        ImageSet train = pair(dir, "train", kind.nativeSize(), classes.size());
        ImageSet test = pair(dir, "t10k", kind.nativeSize(), classes.size());
        return new RawDataset(kind.id(), classes, train, test, 0);
    }

    private static ImageSet pair(Path dir, String prefix, int size, int classes) throws IOException {
        Path imageFile = find(dir, prefix + "-images", "idx3-ubyte");
        Path labelFile = find(dir, prefix + "-labels", "idx1-ubyte");
        byte[] pixels = readImages(imageFile, size);
        byte[] rawLabels = readLabels(labelFile);
        int n = pixels.length / (size * size);
        if (rawLabels.length != n)
            throw new DatasetException(labelFile + " holds " + rawLabels.length + " labels but " + imageFile.getFileName()
                    + " holds " + n + " images; expected equal counts");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rawLabels[i] & 0xFF;
            if (labels[i] >= classes)
                throw new DatasetException(labelFile + ": label " + i + " is " + labels[i] + ", expected 0.." + (classes - 1));
        }
        return new ImageSet(pixels, labels, 1, size);
    }

    /** {@code <stem>-<suffix>}, {@code <stem>.<suffix>}, each plain or .gz; the first that exists. */
    static Path find(Path dir, String stem, String suffix) throws DatasetException {
        for (String sep : new String[]{"-", "."})
            for (String ext : new String[]{"", ".gz"}) {
                Path p = dir.resolve(stem + sep + suffix + ext);
                if (Files.isRegularFile(p)) return p;
            }
        throw new DatasetException("missing file " + dir.resolve(stem + "-" + suffix) + "[.gz]; expected the four IDX files "
                + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (plain or .gz) in " + dir);
    }

    /** uint8 [n, rows, cols] of an IDX3 image file whose rows and cols must equal {@code size}. */
    static byte[] readImages(Path file, int size) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = header(in, file, 16);
            if (magic != IMAGE_MAGIC)
                throw new DatasetException(file + ": magic number 0x" + hex(magic) + ", expected 0x" + hex(IMAGE_MAGIC)
                        + " (IDX unsigned-byte images, 3 dimensions)");
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n < 0 || rows != size || cols != size)
                throw new DatasetException(file + ": header says " + n + " images of " + rows + "x" + cols
                        + ", expected " + size + "x" + size + " images");
            return body(in, file, (long) n * rows * cols, 16, n + " images of " + rows + "x" + cols);
        }
    }

    static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = header(in, file, 8);
            if (magic != LABEL_MAGIC)
                throw new DatasetException(file + ": magic number 0x" + hex(magic) + ", expected 0x" + hex(LABEL_MAGIC)
                        + " (IDX unsigned-byte labels, 1 dimension)");
            int n = in.readInt();
            if (n < 0) throw new DatasetException(file + ": header says " + n + " labels, expected a count >= 0");
            return body(in, file, n, 8, n + " labels");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        InputStream body = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(body);
    }

    /** Reads the magic number, failing with the file name when even the header is cut off. */
    private static int header(DataInputStream in, Path file, int headerBytes) throws IOException {
        byte[] h = new byte[4];
        int got = readUpTo(in, h, file);
        if (got < 4)
            throw new DatasetException(file + ": truncated, the file ends after " + got + " bytes; expected a "
                    + headerBytes + "-byte IDX header");
        return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    }

    private static byte[] body(DataInputStream in, Path file, long bytes, int headerBytes, String what) throws IOException {
        if (bytes > Integer.MAX_VALUE - 16)
            throw new DatasetException(file + ": " + what + " is too large to hold in memory");
        byte[] data = new byte[(int) bytes];
        int got = readUpTo(in, data, file);
        if (got < bytes)
            throw new DatasetException(file + ": truncated, expected " + (bytes + headerBytes) + " bytes of data (" + what
                    + " after the " + headerBytes + "-byte header), the file ends after " + (got + headerBytes));
        if (readUpTo(in, new byte[1], file) > 0)
            throw new DatasetException(file + ": longer than its header says; expected exactly " + (bytes + headerBytes)
                    + " bytes (" + what + " after the " + headerBytes + "-byte header)");
        return data;
    }

    /** Reads until {@code buf} is full or the stream ends; a gzip stream cut off mid-way counts as its end. */
    private static int readUpTo(InputStream in, byte[] buf, Path file) throws IOException {
        int total = 0;
        try {
            while (total < buf.length) {
                int r = in.read(buf, total, buf.length - total);
                if (r < 0) break;
                total += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream: "Unexpected end of ZLIB input stream": the compressed file was truncated
        } catch (java.util.zip.ZipException e) {
            throw new DatasetException(file + ": corrupt gzip data (" + e.getMessage() + "); expected a gzip-compressed IDX file", e);
        }
        return total;
    }

    private static String hex(int v) {
        return String.format("%08X", v);
    }
}
