package io.vitlens.data.io;

import io.vitlens.data.DatasetException;
import io.vitlens.data.DatasetKind;
import io.vitlens.data.ImageSet;
import io.vitlens.data.RawDataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the official CIFAR-10 / CIFAR-100 binary version (https://www.cs.toronto.edu/~kriz/cifar.html):
 * fixed-size records of label byte(s) followed by 3072 pixel bytes, already in our [C=3, 32, 32]
 * channel-plane layout (1024 red, 1024 green, 1024 blue, rows top to bottom). CIFAR-100 records carry
 * a coarse and a fine label; the fine one (100 classes) is used.
 *
 * <p>The location may be the folder holding the .bin files, its parent, a folder holding the official
 * .tar.gz, or the .tar.gz itself (read without unpacking).
 */
public final class CifarBinaryReader {
    /** Pixel bytes per record: 3 channels x 32 x 32. */
    static final int PIXELS = 3 * 32 * 32;
    static final int SIZE = 32;

    /** What differs between the two CIFARs. */
    record Layout(String name, int labelBytes, int classes, List<String> trainFiles, String testFile,
                  String namesFile, String archive, String folder) {
        int recordBytes() { return labelBytes + PIXELS; }
    }

    static final Layout CIFAR10 = new Layout("cifar10", 1, 10,
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            "test_batch.bin", "batches.meta.txt", "cifar-10-binary.tar.gz", "cifar-10-batches-bin");
    static final Layout CIFAR100 = new Layout("cifar100", 2, 100, List.of("train.bin"),
            "test.bin", "fine_label_names.txt", "cifar-100-binary.tar.gz", "cifar-100-binary");

    private CifarBinaryReader() {}

    static Layout layout(DatasetKind kind) {
        return switch (kind) {
            case CIFAR10 -> CIFAR10;
            case CIFAR100 -> CIFAR100;
            default -> throw new IllegalArgumentException("not a CIFAR dataset: " + kind.id());
        };
    }

    /**
     * @param skipBad skip records whose label is out of range and a trailing partial record, counting them
     */
    public static RawDataset read(Path location, DatasetKind kind, boolean skipBad) throws IOException {
        Layout layout = layout(kind);
        Map<String, byte[]> files = load(location, layout);
        int[] skipped = {0};
        List<String> names = classNames(files.get(layout.namesFile), layout);
        List<byte[]> trainParts = new ArrayList<>();
        for (String f : layout.trainFiles) trainParts.add(files.get(f));
        ImageSet train = parse(layout.trainFiles, trainParts, layout, skipBad, skipped);
        ImageSet test = parse(List.of(layout.testFile), List.of(files.get(layout.testFile)), layout, skipBad, skipped);
        return new RawDataset(layout.name, names, train, test, skipped[0]);
    }

    /** Reads the member files from a folder or an archive, failing on the first one missing. */
    private static Map<String, byte[]> load(Path location, Layout layout) throws IOException {
        List<String> wanted = new ArrayList<>(layout.trainFiles);
        wanted.add(layout.testFile);
        wanted.add(layout.namesFile);
        String expectation = "expected " + String.join(", ", wanted) + " in a folder, or the official " + layout.archive;
        if (!Files.exists(location))
            throw new DatasetException(layout.name + ": " + location + " does not exist; " + expectation
                    + " (vit data fetch " + layout.name + " downloads it)");
        if (Files.isRegularFile(location)) return fromArchive(location, layout, wanted);
        Path dir = location;
        if (!Files.exists(dir.resolve(layout.testFile)) && Files.isDirectory(dir.resolve(layout.folder)))
            dir = dir.resolve(layout.folder);
        else if (!Files.exists(dir.resolve(layout.testFile)) && Files.isRegularFile(dir.resolve(layout.archive)))
            return fromArchive(dir.resolve(layout.archive), layout, wanted);
        Map<String, byte[]> files = new HashMap<>();
        for (String f : wanted) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p))
                throw new DatasetException(layout.name + ": missing file " + p + "; " + expectation);
            files.put(f, Files.readAllBytes(p));
        }
        return files;
    }

    private static Map<String, byte[]> fromArchive(Path archive, Layout layout, List<String> wanted) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        TarGz.read(archive, (name, dir, size, in) -> {
            String base = TarGz.baseName(name);
            if (!dir && wanted.contains(base) && !files.containsKey(base))
                files.put(base, TarGz.readEntry(in, size, archive + "!" + name));
        });
        for (String f : wanted)
            if (!files.containsKey(f))
                throw new DatasetException(layout.name + ": " + archive + " has no member " + f
                        + "; expected the official " + layout.archive);
        return files;
    }

    private static List<String> classNames(byte[] text, Layout layout) throws DatasetException {
        List<String> names = new String(text, StandardCharsets.UTF_8).lines().map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        if (names.size() != layout.classes)
            throw new DatasetException(layout.name + ": " + layout.namesFile + " lists " + names.size()
                    + " class names, expected " + layout.classes);
        return names;
    }

    /** Concatenates the records of the given files into one image set, fine labels only. */
    static ImageSet parse(List<String> fileNames, List<byte[]> parts, Layout layout, boolean skipBad, int[] skipped)
            throws DatasetException {
        int rec = layout.recordBytes();
        int total = 0;
        for (int f = 0; f < parts.size(); f++) {
            byte[] data = parts.get(f);
            if (data.length % rec != 0) {
                if (!skipBad)
                    throw new DatasetException(layout.name + ": " + fileNames.get(f) + " is " + data.length
                            + " bytes, not a multiple of the " + rec + "-byte record (" + layout.labelBytes
                            + " label byte(s) + " + PIXELS + " pixels); expected " + (long) (data.length / rec + 1) * rec
                            + " bytes (the official files hold 10000 records = " + 10_000L * rec + " bytes"
                            + (layout == CIFAR100 ? " for test.bin, 50000 = " + 50_000L * rec + " for train.bin" : "") + ")");
                skipped[0]++;
            }
            total += data.length / rec;
        }
        byte[] pixels = new byte[total * PIXELS];
        int[] labels = new int[total];
        int n = 0;
        for (int f = 0; f < parts.size(); f++) {
            byte[] data = parts.get(f);
            for (int r = 0, records = data.length / rec; r < records; r++) {
                int at = r * rec;
                int label = data[at + layout.labelBytes - 1] & 0xFF;   // CIFAR-100: <coarse><fine>
                if (label >= layout.classes) {
                    if (!skipBad)
                        throw new DatasetException(layout.name + ": " + fileNames.get(f) + " record " + r + " (byte offset "
                                + at + ") has label " + label + ", expected 0.." + (layout.classes - 1));
                    skipped[0]++;
                    continue;
                }
                System.arraycopy(data, at + layout.labelBytes, pixels, n * PIXELS, PIXELS);
                labels[n++] = label;
            }
        }
        if (n < total) {
            pixels = java.util.Arrays.copyOf(pixels, n * PIXELS);
            labels = java.util.Arrays.copyOf(labels, n);
        }
        return new ImageSet(pixels, labels, 3, SIZE);
    }
}
