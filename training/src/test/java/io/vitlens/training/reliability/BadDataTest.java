package io.vitlens.training.reliability;

import io.vitlens.data.DataConfig;
import io.vitlens.data.DatasetCache;
import io.vitlens.data.Datasets;
import io.vitlens.data.SyntheticSpec;
import io.vitlens.training.RunDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Broken datasets through {@code vit train} and {@code vit data convert}: exit status 2, one paragraph naming
 * the file and what was expected, no stack trace, and neither a run directory with files nor a cache file.
 */
class BadDataTest {
    @TempDir Path dir;

    /** Builds the broken dataset under the given folder and returns the --data-dir to pass. */
    interface Setup {
        Path make(Path dir) throws IOException;
    }

    /** dataset id, model geometry it needs, the broken files, and what the message must contain. */
    record Case(String name, String dataset, int imageSize, int channels, Setup setup, List<String> fragments) {
        @Override public String toString() { return name; }
    }

    static Case cifar(String name, Setup s, String... f) { return new Case(name, "cifar10", 32, 3, s, List.of(f)); }

    static Case mnist(String name, Setup s, String... f) { return new Case(name, "mnist", 28, 1, s, List.of(f)); }

    static Case folder(String name, Setup s, String... f) { return new Case(name, "image-folder", 16, 3, s, List.of(f)); }

    static Stream<Case> cases() {
        return Stream.of(
                // missing paths
                cifar("cifar10: folder missing", d -> d.resolve("nowhere"), "nowhere", "does not exist", "test_batch.bin"),
                cifar("cifar10: one batch missing", d -> {
                    Path c = DataFiles.cifar10(d.resolve("c"));
                    Files.delete(c.resolve("data_batch_4.bin"));
                    return c;
                }, "missing file", "data_batch_4.bin"),
                mnist("mnist: folder missing", d -> d.resolve("nowhere"), "nowhere", "is not a folder", "train-images-idx3-ubyte"),
                folder("image-folder: archive missing", d -> d.resolve("none.tar.gz"), "none.tar.gz", "does not exist"),
                // truncated binary batches, records of the wrong length
                cifar("cifar10: truncated batch", d -> {
                    Path c = DataFiles.cifar10(d.resolve("c"));
                    Files.write(c.resolve("data_batch_3.bin"), java.util.Arrays.copyOf(DataFiles.cifarRecords(1, 4, 5), 2 * 3073 - 100));
                    return c;
                }, "data_batch_3.bin is 6046 bytes", "not a multiple of the 3073-byte record", "expected 6146 bytes"),
                cifar("cifar10: CIFAR-100 records (3074 bytes) in a CIFAR-10 batch", d -> {
                    Path c = DataFiles.cifar10(d.resolve("c"));
                    Files.write(c.resolve("test_batch.bin"), DataFiles.cifarRecords(2, 1, 2, 3));
                    return c;
                }, "test_batch.bin is 9222 bytes", "3073-byte record"),
                mnist("mnist: image file cut short", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    DataFiles.cut(m.resolve("train-images-idx3-ubyte"), 0.5);   // 16 + 3136 bytes -> 1576
                    return m;
                }, "train-images-idx3-ubyte", "truncated", "expected 3152 bytes"),
                mnist("mnist: label file longer than its header", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    byte[] l = DataFiles.idxLabels(4, 5);
                    Files.write(m.resolve("t10k-labels-idx1-ubyte"), java.util.Arrays.copyOf(l, l.length + 3));
                    return m;
                }, "t10k-labels-idx1-ubyte", "longer than its header says", "exactly 10 bytes"),
                mnist("mnist: label and image counts differ", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    Files.write(m.resolve("t10k-labels-idx1-ubyte"), DataFiles.idxLabels(4, 5, 6));
                    return m;
                }, "holds 3 labels but t10k-images-idx3-ubyte holds 2 images"),
                mnist("mnist: wrong magic number", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    Files.write(m.resolve("train-labels-idx1-ubyte"), DataFiles.idxImages(1, 28, 28));
                    return m;
                }, "train-labels-idx1-ubyte", "magic number 0x00000803, expected 0x00000801"),
                // labels out of range
                cifar("cifar10: label 10", d -> {
                    Path c = DataFiles.cifar10(d.resolve("c"));
                    Files.write(c.resolve("test_batch.bin"), DataFiles.cifarRecords(1, 3, 10, 1));
                    return c;
                }, "test_batch.bin record 1 (byte offset 3073) has label 10, expected 0..9"),
                mnist("mnist: label 12", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    Files.write(m.resolve("train-labels-idx1-ubyte"), DataFiles.idxLabels(0, 1, 12, 3));
                    return m;
                }, "train-labels-idx1-ubyte", "label 2 is 12, expected 0..9"),
                cifar("cifar10: 9 class names for 10 classes", d -> {
                    Path c = DataFiles.cifar10(d.resolve("c"));
                    Files.writeString(c.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\n");
                    return c;
                }, "batches.meta.txt lists 9 class names, expected 10"),
                // undecodable or wrongly sized images
                folder("image-folder: undecodable image", d -> {
                    Path f = DataFiles.imageFolder(d.resolve("f"));
                    Files.writeString(f.resolve("train/square/broken.png"), "not a png");
                    return f;
                }, "broken.png", "cannot decode"),
                folder("image-folder: empty image file", d -> {
                    Path f = DataFiles.imageFolder(d.resolve("f"));
                    Files.write(f.resolve("test/circle/empty.png"), new byte[0]);
                    return f;
                }, "empty.png"),
                mnist("mnist: 32x32 images where 28x28 are expected", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    Files.write(m.resolve("t10k-images-idx3-ubyte"), DataFiles.idxImages(2, 32, 32));
                    return m;
                }, "t10k-images-idx3-ubyte", "2 images of 32x32", "expected 28x28"),
                new Case("cache: written at 16x16, model wants 32x32", "cache", 32, 3, d -> {
                    Path c = d.resolve("shapes.vitcache");
                    DatasetCache.write(Datasets.load(new DataConfig("synthetic-shapes", null, 16, 8, 0, 1, null,
                            SyntheticSpec.defaults().withSizes(64, 16), false)), c);
                    return c;
                }, List.of("data.imageSize: 32", "holds 16x16 images")),
                // empty classes, class folders that do not match
                folder("image-folder: empty class folder", d -> {
                    Path f = DataFiles.imageFolder(d.resolve("f"));
                    Files.createDirectories(f.resolve("train/triangle"));
                    Files.writeString(f.resolve("train/triangle/notes.txt"), "no images");
                    return f;
                }, "empty class folder", "train/triangle"),
                folder("image-folder: test class without training images", d -> {
                    Path f = DataFiles.imageFolder(d.resolve("f"));
                    DataFiles.png(f.resolve("test/triangle/0.png"), 8, 8, 9);
                    return f;
                }, "test/triangle", "train/triangle"),
                folder("image-folder: no test split", d -> {
                    Path f = DataFiles.imageFolder(d.resolve("f"));
                    for (Path p : Vit.files(f.resolve("test"))) Files.delete(p);
                    try (Stream<Path> s = Files.walk(f.resolve("test"))) {
                        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
                    }
                    return f;
                }, "no 'test' folder"),
                // archives that end early or are not archives
                folder("image-folder: tar.gz cut in half", d -> DataFiles.cut(
                        DataFiles.tarGz(DataFiles.imageFolder(d.resolve("f")), d.resolve("shapes.tar.gz")), 0.5),
                        "shapes.tar.gz", "truncated or corrupt"),
                cifar("cifar10: official tar.gz cut at 90%", d -> DataFiles.cut(
                        DataFiles.tarGz(DataFiles.cifar10(d.resolve("cifar-10-batches-bin")), d.resolve("cifar-10-binary.tar.gz")), 0.9),
                        "cifar-10-binary.tar.gz", "truncated or corrupt"),
                cifar("cifar10: random bytes named .tar.gz", d -> {
                    byte[] junk = new byte[5000];
                    new java.util.Random(5).nextBytes(junk);
                    return Files.write(d.resolve("cifar-10-binary.tar.gz"), junk);
                }, "cifar-10-binary.tar.gz"),
                mnist("mnist: gzip file that ends early", d -> {
                    Path m = DataFiles.mnist(d.resolve("m"));
                    Files.delete(m.resolve("train-images-idx3-ubyte"));
                    byte[] gz = DataFiles.gzip(DataFiles.idxImages(4, 28, 28));
                    Files.write(m.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
                    return m;
                }, "train-images-idx3-ubyte.gz", "truncated"),
                new Case("cache: truncated", "cache", 16, 3, d -> {
                    Path c = d.resolve("shapes.vitcache");
                    DatasetCache.write(Datasets.load(new DataConfig("synthetic-shapes", null, 16, 8, 0, 1, null,
                            SyntheticSpec.defaults().withSizes(64, 16), false)), c);
                    return DataFiles.cut(c, 0.7);
                }, List.of("shapes.vitcache", "the file is corrupt")),
                new Case("cache: not a cache", "cache", 16, 3, d -> Files.writeString(d.resolve("x.vitcache"), "hello"),
                        List.of("x.vitcache", "magic")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainRefusesBrokenDataAndWritesNothing(Case c) throws IOException {
        Path data = c.setup().make(Files.createDirectories(dir.resolve("data")));
        Path config = Vit.write(dir.resolve("exp.yaml"), Vit.TINY_YAML);
        Path run = dir.resolve("run");
        Vit.Result r = Vit.run("train", "--config", config.toString(), "--out", run.toString(),
                "--set", "data.dataset=" + c.dataset(), "--set", "data.data-dir='" + data + "'",
                "--set", "model.image-size=" + c.imageSize(), "--set", "model.channels=" + c.channels());
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertEquals(List.of(), Vit.files(run), "a run refused for its data leaves no file");

        // the run directory a failed start leaves (empty folders at most) does not block the next attempt
        RunDirectory.prepare(run, false, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dataConvertRefusesBrokenDataAndWritesNoCache(Case c) throws IOException {
        Path data = c.setup().make(Files.createDirectories(dir.resolve("data")));
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Vit.Result r = Vit.run("data", "convert", "--dataset", c.dataset(), "--data-dir", data.toString(),
                "--image-size", Integer.toString(c.imageSize()), "--out", outDir.resolve("c.vitcache").toString());
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertEquals(List.of(), Vit.files(outDir), "no cache file, not even a partial one");
    }
}
