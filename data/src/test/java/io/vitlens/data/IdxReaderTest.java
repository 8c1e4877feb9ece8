package io.vitlens.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class IdxReaderTest {
    private static final int IMAGES = 0x803, LABELS = 0x801;

    @TempDir
    Path tmp;

    /** n images of 28x28 whose pixel (y, x) of image i is (i + y * 28 + x) & 0xFF. */
    private static byte[] pixels(int n) {
        byte[] p = new byte[n * 784];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++) p[i * 784 + y * 28 + x] = (byte) (i + y * 28 + x);
        return p;
    }

    /** Writes train (5 images) and t10k (3 images), plain or gzip, under the given naming. */
    private Path write(boolean gz, String sep) throws IOException {
        Path dir = tmp.resolve("idx" + gz + sep.hashCode());
        Files.createDirectories(dir);
        String ext = gz ? ".gz" : "";
        put(dir.resolve("train-images" + sep + "idx3-ubyte" + ext), TestFiles.idxImages(IMAGES, 5, 28, 28, pixels(5)), gz);
        put(dir.resolve("train-labels" + sep + "idx1-ubyte" + ext), TestFiles.idxLabels(LABELS, new byte[]{3, 1, 4, 1, 5}), gz);
        put(dir.resolve("t10k-images" + sep + "idx3-ubyte" + ext), TestFiles.idxImages(IMAGES, 3, 28, 28, pixels(3)), gz);
        put(dir.resolve("t10k-labels" + sep + "idx1-ubyte" + ext), TestFiles.idxLabels(LABELS, new byte[]{9, 2, 6}), gz);
        return dir;
    }

    private static void put(Path p, byte[] data, boolean gz) throws IOException {
        Files.write(p, gz ? TestFiles.gzip(data) : data);
    }

    private static DataConfig cfg(String name, Path dir) {
        return new DataConfig(name, dir, 28, 2, 0, 1, null, null, false);
    }

    @Test
    void plainAndGzipFilesGiveTheSameImages() throws IOException {
        RawDataset plain = Datasets.load(cfg("fashion-mnist", write(false, "-")));
        RawDataset gz = Datasets.load(cfg("fashion-mnist", write(true, "-")));
        RawDataset dotted = Datasets.load(cfg("fashion-mnist", write(true, ".")));
        assertTrue(plain.train().sameContent(gz.train()) && plain.test().sameContent(gz.test()));
        assertTrue(plain.train().sameContent(dotted.train()));
        assertArrayEquals(new int[]{3, 1, 4, 1, 5}, plain.train().labels());
        assertArrayEquals(new int[]{9, 2, 6}, plain.test().labels());
        assertEquals(1, plain.channels());
        assertEquals((4 + 10 * 28 + 7) & 0xFF, plain.train().pixel(4, 0, 10, 7));
        assertEquals("Ankle boot", plain.classNames().get(9));
        assertEquals("T-shirt/top", plain.classNames().get(0));
    }

    @Test
    void mnistHasDigitClassNames() throws IOException {
        RawDataset raw = Datasets.load(cfg("mnist", write(false, "-")));
        assertEquals(Arrays.asList("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), raw.classNames());
    }

    @Test
    void badMagicNamesFileAndExpectation() throws IOException {
        Path dir = write(false, "-");
        Files.write(dir.resolve("train-images-idx3-ubyte"), TestFiles.idxImages(LABELS, 5, 28, 28, pixels(5)));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("0x00000801")
                && e.getMessage().contains("expected 0x00000803"), e.getMessage());
    }

    @Test
    void truncatedGzipNamesFileAndExpectedSize() throws IOException {
        Path dir = write(true, "-");
        Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));   // the gzip stream ends early
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz") && e.getMessage().contains("truncated")
                && e.getMessage().contains(Integer.toString(16 + 3 * 784)), e.getMessage());
    }

    @Test
    void truncatedPlainFileNamesFileAndExpectedSize() throws IOException {
        Path dir = write(false, "-");
        Path f = dir.resolve("train-images-idx3-ubyte");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 16 + 4 * 784 + 100));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains(Integer.toString(16 + 5 * 784))
                && e.getMessage().contains("ends after " + (16 + 4 * 784 + 100)), e.getMessage());
    }

    @Test
    void labelAndImageCountMismatchNamesBothFiles() throws IOException {
        Path dir = write(false, "-");
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(LABELS, new byte[]{3, 1, 4, 1}));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte") && e.getMessage().contains("4 labels")
                && e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("5 images"), e.getMessage());
    }

    @Test
    void wrongImageGeometryIsRejected() throws IOException {
        Path dir = write(false, "-");
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), TestFiles.idxImages(IMAGES, 3, 14, 56, pixels(3)));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("14x56") && e.getMessage().contains("28x28"), e.getMessage());
    }

    @Test
    void labelAboveNineIsRejected() throws IOException {
        Path dir = write(false, "-");
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestFiles.idxLabels(LABELS, new byte[]{9, 10, 6}));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().contains("label 1 is 10"), e.getMessage());
    }

    @Test
    void missingFileAndMissingFolderAreNamed() throws IOException {
        Path dir = write(false, "-");
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", dir)));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
        DatasetException e2 = assertThrows(DatasetException.class, () -> Datasets.load(cfg("mnist", tmp.resolve("none"))));
        assertTrue(e2.getMessage().contains("none") && e2.getMessage().contains("not a folder"), e2.getMessage());
    }
}
