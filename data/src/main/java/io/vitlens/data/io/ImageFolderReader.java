package io.vitlens.data.io;

import io.vitlens.data.DatasetException;
import io.vitlens.data.ImageSet;
import io.vitlens.data.RawDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads an image tree {@code root/<split>/<class>/<file>.{png,jpg,jpeg}} with splits {@code train} and
 * {@code test}, from a folder or straight from a .tar.gz of it (the archive may wrap the tree in a top
 * folder). Class names are the sorted folder names of {@code train}; images are ordered by (class, file
 * name), so the result does not depend on file-system or archive order. Decoding runs on all cores
 * ({@link ParallelDecoder}) while the archive is still being read.
 *
 * <p>Ignored: files without an image extension, hidden files and "__MACOSX" folders, and anything not
 * exactly two levels below a split folder.
 */
public final class ImageFolderReader {
    private static final Logger log = LoggerFactory.getLogger(ImageFolderReader.class);
    static final List<String> SPLITS = List.of("train", "test");
    static final String EXTENSIONS = ".png, .jpg, .jpeg";

    private ImageFolderReader() {}

    /**
     * @param size    side every image is resized to
     * @param skipBad skip undecodable images (counted in {@link RawDataset#skipped()}) instead of failing
     * @param threads decoding threads, >= 1
     */
    public static RawDataset read(Path location, int size, boolean skipBad, int threads) throws IOException {
        long t0 = System.nanoTime();
        if (!Files.exists(location))
            throw new DatasetException("image-folder: " + location + " does not exist; expected a folder or .tar.gz holding "
                    + "train/<class>/*.jpg and test/<class>/*.jpg");
        FolderTree tree = new FolderTree(location.toString());
        try (ParallelDecoder decoder = new ParallelDecoder(size, threads)) {
            if (Files.isRegularFile(location)) readArchive(location, tree, decoder);
            else readDirectory(location, tree, decoder);
            decoder.finish();
        }
        RawDataset ds = tree.build(name(location), size, skipBad);
        log.info("image-folder {}: {} train + {} test images ({} skipped) decoded to {}x{} in {} ms", location,
                ds.train().count(), ds.test().count(), ds.skipped(), size, size, (System.nanoTime() - t0) / 1_000_000);
        return ds;
    }

    static String name(Path location) {
        String n = location.getFileName() == null ? location.toString() : location.getFileName().toString();
        for (String ext : new String[]{".tar.gz", ".tgz", ".tar"})
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) n = n.substring(0, n.length() - ext.length());
        return "image-folder:" + n;
    }

    static boolean isImageName(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return !f.startsWith(".") && (f.endsWith(".png") || f.endsWith(".jpg") || f.endsWith(".jpeg"));
    }

    private static void readArchive(Path archive, FolderTree tree, ParallelDecoder decoder) throws IOException {
        TarGz.read(archive, (name, dir, size, in) -> {
            String[] parts = name.split("/");
            int split = splitIndex(parts, dir);
            if (split < 0) return;
            String splitName = parts[split];
            if (dir) {
                if (parts.length == split + 2) tree.classFolder(splitName, parts[split + 1]);
                else if (parts.length == split + 1) tree.splitFolder(splitName);
                return;
            }
            if (parts.length != split + 3 || !isImageName(parts[split + 2])) return;
            String cls = parts[split + 1];
            tree.splitFolder(splitName);
            tree.classFolder(splitName, cls);
            ImageEntry e = tree.add(splitName, cls, parts[split + 2], archive + "!" + name);
            decoder.submit(e, TarGz.readEntry(in, size, archive + "!" + name));
        });
    }

    /** Index of the split folder in an entry path, or -1 when the entry is not part of the tree. */
    private static int splitIndex(String[] parts, boolean dir) {
        for (String p : parts) if (p.equals("__MACOSX")) return -1;
        for (int i = 0; i < parts.length; i++) {
            if (!SPLITS.contains(parts[i])) continue;
            int rest = parts.length - i;
            if (rest == 3 || (dir && (rest == 2 || rest == 1))) return i;
        }
        return -1;
    }

    private static void readDirectory(Path root, FolderTree tree, ParallelDecoder decoder) throws IOException {
        for (String split : SPLITS) {
            Path splitDir = root.resolve(split);
            if (!Files.isDirectory(splitDir)) continue;   // reported by FolderTree.build with the expectation
            tree.splitFolder(split);
            List<Path> classDirs;
            try (Stream<Path> s = Files.list(splitDir)) {
                classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
            for (Path classDir : classDirs) {
                String cls = classDir.getFileName().toString();
                tree.classFolder(split, cls);
                List<Path> files;
                try (Stream<Path> s = Files.list(classDir)) {
                    files = s.filter(Files::isRegularFile).filter(p -> isImageName(p.getFileName().toString()))
                            .sorted(Comparator.comparing(Path::toString)).toList();
                }
                for (Path f : files) decoder.submit(tree.add(split, cls, f.getFileName().toString(), f.toString()), f);
            }
        }
    }

    /** One image file of the tree; {@code pixels} or {@code error} is filled in by the decoder. */
    static final class ImageEntry {
        final String split;
        final String className;
        final String fileName;
        final String source;    // for messages: path, or archive!member
        volatile byte[] pixels; // [3, S, S]
        volatile String error;

        ImageEntry(String split, String className, String fileName, String source) {
            this.split = split;
            this.className = className;
            this.fileName = fileName;
            this.source = source;
        }
    }

    /** The folders and files seen, and their assembly into train/test image sets. */
    static final class FolderTree {
        private final String location;
        private final Map<String, Map<String, List<ImageEntry>>> splits = new TreeMap<>();   // split -> class -> files

        FolderTree(String location) {
            this.location = location;
        }

        synchronized void splitFolder(String split) {
            splits.computeIfAbsent(split, k -> new TreeMap<>());
        }

        synchronized void classFolder(String split, String cls) {
            splitFolder(split);
            splits.get(split).computeIfAbsent(cls, k -> new ArrayList<>());
        }

        synchronized ImageEntry add(String split, String cls, String file, String source) {
            classFolder(split, cls);
            ImageEntry e = new ImageEntry(split, cls, file, source);
            splits.get(split).get(cls).add(e);
            return e;
        }

        RawDataset build(String name, int size, boolean skipBad) throws DatasetException {
            for (String split : SPLITS)
                if (!splits.containsKey(split))
                    throw new DatasetException("image-folder: " + location + " has no '" + split + "' folder; expected "
                            + String.join(" and ", SPLITS) + " folders each holding <class>/*{" + EXTENSIONS + "}");
            Map<String, List<ImageEntry>> train = splits.get("train");
            Map<String, List<ImageEntry>> test = splits.get("test");
            if (train.isEmpty())
                throw new DatasetException("image-folder: " + location + ": train has no class folders; expected train/<class>/*{"
                        + EXTENSIONS + "}");
            List<String> classes = new ArrayList<>(new TreeSet<>(train.keySet()));
            for (String cls : test.keySet())
                if (!train.containsKey(cls))
                    throw new DatasetException("image-folder: " + location + ": test/" + cls + " has no train/" + cls
                            + " folder; every test class must be a training class " + classes);
            int[] skipped = {0};
            ImageSet trainSet = assemble("train", train, classes, size, skipBad, skipped);
            ImageSet testSet = assemble("test", test, classes, size, skipBad, skipped);
            return new RawDataset(name, classes, trainSet, testSet, skipped[0]);
        }

        private ImageSet assemble(String split, Map<String, List<ImageEntry>> byClass, List<String> classes, int size,
                                  boolean skipBad, int[] skipped) throws DatasetException {
            List<ImageEntry> kept = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (int k = 0; k < classes.size(); k++) {
                List<ImageEntry> files = byClass.get(classes.get(k));
                if (files == null) continue;   // a class absent from test: allowed
                files.sort(Comparator.comparing(e -> e.fileName));
                int good = 0;
                for (ImageEntry e : files) {
                    if (e.error != null) {
                        if (!skipBad)
                            throw new DatasetException("image-folder: cannot decode " + e.source + ": " + e.error
                                    + "; expected a readable PNG or JPEG (skipBadFiles: true skips such files)");
                        skipped[0]++;
                        continue;
                    }
                    kept.add(e);
                    labels.add(k);
                    good++;
                }
                if (good == 0)
                    throw new DatasetException("image-folder: empty class folder " + location + "/" + split + "/" + classes.get(k)
                            + (files.isEmpty() ? "" : " (all " + files.size() + " files were undecodable)")
                            + "; expected at least one " + EXTENSIONS + " file");
            }
            int per = 3 * size * size;
            byte[] pixels = new byte[kept.size() * per];
            int[] lab = new int[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                System.arraycopy(kept.get(i).pixels, 0, pixels, i * per, per);
                kept.get(i).pixels = null;
                lab[i] = labels.get(i);
            }
            return new ImageSet(pixels, lab, 3, size);
        }
    }
}
