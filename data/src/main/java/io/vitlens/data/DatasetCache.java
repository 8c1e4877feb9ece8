package io.vitlens.data;

import io.vitlens.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A decoded dataset in one file, so that a slow source (60k JPEGs) is decoded once: written by
 * {@code vit data convert}, read back with {@code dataset: cache, dataDir: <file>}. Stores the
 * {@link RawDataset} (training pool and test set before the validation carve-out), so any seed or
 * validation fraction can be used with it.
 *
 * <p>Format, big-endian ({@link DataOutputStream}):
 * <pre>
 * int    magic 0x56544C44 ("VTLD")
 * int    version (1)
 * UTF    dataset name
 * int    channels C, image size S, classes K
 * UTF x K class names
 * int    skipped files of the source
 * train: int n, int[n] labels, byte[n*C*S*S] pixels (uint8 [n, C, S, S])
 * test:  same
 * long   CRC-32 of every byte before it
 * </pre>
 * CIFAR-10 takes 184 MB (pixels are 99.9% of it); reading it is disk-speed.
 */
public final class DatasetCache {
    public static final int MAGIC = 0x56544C44;
    public static final int VERSION = 1;
    private static final int BUFFER = 1 << 20;

    private DatasetCache() {}

    public static void write(LoadedDataset ds, Path file) throws IOException {
        write(ds.raw(), file);
    }

    /** Writes atomically ({@link AtomicFiles}: a synced temporary file in the same folder, renamed when complete). */
    public static void write(RawDataset raw, Path file) throws IOException {
        AtomicFiles.write(file.toAbsolutePath(), os -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(os, BUFFER), crc));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(raw.name());
            out.writeInt(raw.channels());
            out.writeInt(raw.imageSize());
            out.writeInt(raw.numClasses());
            for (String n : raw.classNames()) out.writeUTF(n);
            out.writeInt(raw.skipped());
            writeSet(out, raw.train());
            writeSet(out, raw.test());
            out.flush();
            new DataOutputStream(os).writeLong(crc.getValue());   // outside the checksum
        });
    }

    private static void writeSet(DataOutputStream out, ImageSet set) throws IOException {
        out.writeInt(set.count());
        for (int l : set.labels()) out.writeInt(l);
        out.write(set.pixels());
    }

    /**
     * @throws DatasetException naming the file when it is not a cache, of another version, truncated or
     *                          fails its checksum
     */
    public static RawDataset read(Path file) throws IOException {
        if (!Files.isRegularFile(file))
            throw new DatasetException("cache: " + file + " does not exist; write it with DatasetCache.write (vit data convert)");
        long length = Files.size(file);
        CRC32 crc = new CRC32();
        try (var fin = Files.newInputStream(file)) {
            BufferedInputStream buffered = new BufferedInputStream(fin, BUFFER);
            DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
            int magic = in.readInt();
            if (magic != MAGIC)
                throw new DatasetException("cache: " + file + " starts with 0x" + Integer.toHexString(magic)
                        + ", expected the dataset-cache magic 0x" + Integer.toHexString(MAGIC) + " (\"VTLD\")");
            int version = in.readInt();
            if (version != VERSION)
                throw new DatasetException("cache: " + file + " has format version " + version + ", this build reads version "
                        + VERSION + "; convert the dataset again");
            String name = in.readUTF();
            int c = in.readInt(), s = in.readInt(), k = in.readInt();
            if (c < 1 || c > 4 || s < 1 || s > DataConfig.MAX_IMAGE_SIZE || k < 1 || k > 1_000_000)
                throw new DatasetException("cache: " + file + " header has C=" + c + ", S=" + s + ", K=" + k
                        + "; expected 1..4 channels, size 1.." + DataConfig.MAX_IMAGE_SIZE + " and >= 1 class");
            List<String> classes = new ArrayList<>(k);
            for (int i = 0; i < k; i++) classes.add(in.readUTF());
            int skipped = in.readInt();
            ImageSet train = readSet(in, file, length, c, s, k, "train");
            ImageSet test = readSet(in, file, length, c, s, k, "test");
            long expected = crc.getValue();
            long stored = new DataInputStream(buffered).readLong();
            if (stored != expected)
                throw new DatasetException("cache: " + file + " fails its CRC-32 check (stored " + Long.toHexString(stored)
                        + ", computed " + Long.toHexString(expected) + "); the file is corrupt, convert the dataset again");
            if (buffered.read() >= 0)
                throw new DatasetException("cache: " + file + " has bytes after its checksum; expected the file to end there");
            return new RawDataset(name, classes, train, test, skipped);
        } catch (EOFException e) {
            throw new DatasetException("cache: " + file + " is truncated (" + length + " bytes); convert the dataset again", e);
        }
    }

    private static ImageSet readSet(DataInputStream in, Path file, long length, int c, int s, int k, String split)
            throws IOException {
        int n = in.readInt();
        long bytes = (long) n * c * s * s;
        if (n < 0 || bytes + 4L * n > length)
            throw new DatasetException("cache: " + file + " says its " + split + " set has " + n + " images of " + c + "x" + s
                    + "x" + s + ", more than the " + length + "-byte file can hold; the file is corrupt");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = in.readInt();
            if (labels[i] < 0 || labels[i] >= k)
                throw new DatasetException("cache: " + file + " " + split + " label " + i + " is " + labels[i]
                        + ", expected 0.." + (k - 1));
        }
        byte[] pixels = new byte[(int) bytes];
        in.readFully(pixels);
        return new ImageSet(pixels, labels, c, s);
    }
}
