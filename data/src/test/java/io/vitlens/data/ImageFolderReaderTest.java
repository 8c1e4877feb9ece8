package io.vitlens.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageFolderReaderTest {
    private static final int S = 8;

    @TempDir
    Path tmp;

    /**
     * train/ant/a.png  8x8 solid (10, 20, 30)
     * train/ant/c.png  4x4, red = 40x (upscaled)
     * train/cat/a.png  8x8 solid (1, 2, 3);  train/cat/b.png 8x8 solid (4, 5, 6)
     * train/dog/x.png  16x16, red = 10x, green = 10y, blue = 5(x+y) (downscaled by 2)
     * test/cat/t.png   24x16, red = 10x, green = 10y, blue 77 (centre-cropped to 16x16, downscaled)
     * test/dog/j.jpg   8x8 solid (200, 100, 50), JPEG
     */
    private Path tree() throws IOException {
        Path root = tmp.resolve("tree");
        TestFiles.writeImage(TestFiles.solid(8, 8, 10, 20, 30), "png", root.resolve("train/ant/a.png"));
        BufferedImage small = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) small.setRGB(x, y, (40 * x) << 16);
        TestFiles.writeImage(small, "png", root.resolve("train/ant/c.png"));
        TestFiles.writeImage(TestFiles.solid(8, 8, 4, 5, 6), "png", root.resolve("train/cat/b.png"));
        TestFiles.writeImage(TestFiles.solid(8, 8, 1, 2, 3), "png", root.resolve("train/cat/a.png"));
        BufferedImage grad = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) grad.setRGB(x, y, (10 * x << 16) | (10 * y << 8) | 5 * (x + y));
        TestFiles.writeImage(grad, "png", root.resolve("train/dog/x.png"));
        BufferedImage wide = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 24; x++) wide.setRGB(x, y, (10 * x << 16) | (10 * y << 8) | 77);
        TestFiles.writeImage(wide, "png", root.resolve("test/cat/t.png"));
        TestFiles.writeImage(TestFiles.solid(8, 8, 200, 100, 50), "jpg", root.resolve("test/dog/j.jpg"));
        Files.writeString(root.resolve("train/cat/notes.txt"), "ignored: not an image");
        return root;
    }

    private static DataConfig cfg(Path location, boolean skip) {
        return new DataConfig("image-folder", location, S, 2, 0, 1, null, null, skip);
    }

    @Test
    void readsSortedClassesSortedFilesAndResizes() throws IOException {
        RawDataset raw = Datasets.load(cfg(tree(), false));
        assertEquals(List.of("ant", "cat", "dog"), raw.classNames());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2}, raw.train().labels());
        assertArrayEquals(new int[]{1, 2}, raw.test().labels());
        ImageSet tr = raw.train();
        // ant/a.png, solid
        assertEquals(List.of(10, 20, 30), List.of(tr.pixel(0, 0, 3, 3), tr.pixel(0, 1, 7, 0), tr.pixel(0, 2, 0, 7)));
        // ant/c.png, 4 -> 8 bilinear with half-pixel centres: output o samples input 0.5 o - 0.25, clamped
        int[] expectRow = {0, 10, 30, 50, 70, 90, 110, 120};
        for (int x = 0; x < S; x++) assertEquals(expectRow[x], tr.pixel(1, 0, 5, x), "upscaled red at x=" + x);
        // cat/a.png before cat/b.png
        assertEquals(1, tr.pixel(2, 0, 0, 0));
        assertEquals(4, tr.pixel(3, 0, 0, 0));
        // dog/x.png, 16 -> 8 area: mean of each 2x2 block
        for (int oy = 0; oy < S; oy++)
            for (int ox = 0; ox < S; ox++) {
                assertEquals(20 * ox + 5, tr.pixel(4, 0, oy, ox));
                assertEquals(20 * oy + 5, tr.pixel(4, 1, oy, ox));
                assertEquals(10 * ox + 10 * oy + 5, tr.pixel(4, 2, oy, ox));
            }
        // test/cat/t.png: centre square is columns 4..19, then 2x2 means
        for (int ox = 0; ox < S; ox++) assertEquals(45 + 20 * ox, raw.test().pixel(0, 0, 2, ox));
        assertEquals(77, raw.test().pixel(0, 2, 6, 6));
        // JPEG is lossy: a solid colour survives within a few levels
        assertEquals(200, raw.test().pixel(1, 0, 4, 4), 4);
        assertEquals(100, raw.test().pixel(1, 1, 4, 4), 4);
        assertEquals(50, raw.test().pixel(1, 2, 4, 4), 4);
    }

    @Test
    void tarGzWithTopFolderGivesTheSameDataset() throws IOException {
        Path root = tree();
        RawDataset dir = Datasets.load(cfg(root, false));
        Path archive = TestFiles.tarGz(root, "./pets/", tmp.resolve("pets.tar.gz"));
        RawDataset tar = Datasets.load(cfg(archive, false));
        assertEquals(dir.classNames(), tar.classNames());
        assertTrue(dir.train().sameContent(tar.train()));
        assertTrue(dir.test().sameContent(tar.test()));
        assertEquals("image-folder:pets", tar.name());
    }

    @Test
    void emptyClassFolderIsNamedForFoldersAndArchives() throws IOException {
        Path root = tree();
        Files.createDirectories(root.resolve("train/emu"));
        Files.writeString(root.resolve("train/emu/readme.txt"), "no images here");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(root, false)));
        assertTrue(e.getMessage().contains("empty class folder") && e.getMessage().contains("train/emu"), e.getMessage());
        Path archive = TestFiles.tarGz(root, "", tmp.resolve("t.tar.gz"));
        DatasetException e2 = assertThrows(DatasetException.class, () -> Datasets.load(cfg(archive, false)));
        assertTrue(e2.getMessage().contains("empty class folder") && e2.getMessage().contains("train/emu"), e2.getMessage());
    }

    @Test
    void undecodableImageIsNamedOrSkippedAndCounted() throws IOException {
        Path root = tree();
        Files.write(root.resolve("train/cat/broken.jpg"), "this is not a jpeg".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(root, false)));
        assertTrue(e.getMessage().contains("broken.jpg") && e.getMessage().contains("cannot decode"), e.getMessage());
        LoadedDataset ds = Datasets.open(cfg(root, true));
        assertEquals(5, ds.size(Split.TRAIN));
        assertEquals(1, ds.summary().skipped());
    }

    @Test
    void truncatedJpegIsUndecodable() throws IOException {
        Path root = tree();
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) noisy.setRGB(x, y, r.nextInt(1 << 24));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(noisy, "jpg", bos);
        byte[] jpg = bos.toByteArray();
        Files.write(root.resolve("test/dog/cut.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(root, false)));
        assertTrue(e.getMessage().contains("cut.jpg"), e.getMessage());
    }

    @Test
    void missingSplitFolderIsNamed() throws IOException {
        Path root = tree();
        try (var s = Files.walk(root.resolve("test"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(root, false)));
        assertTrue(e.getMessage().contains("no 'test' folder") && e.getMessage().contains(root.toString()), e.getMessage());
    }

    @Test
    void testClassWithoutTrainingFolderIsRejected() throws IOException {
        Path root = tree();
        TestFiles.writeImage(TestFiles.solid(8, 8, 1, 1, 1), "png", root.resolve("test/yak/y.png"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(root, false)));
        assertTrue(e.getMessage().contains("test/yak") && e.getMessage().contains("train/yak"), e.getMessage());
    }

    @Test
    void missingLocationIsNamed() {
        Path none = tmp.resolve("none.tar.gz");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(none, false)));
        assertTrue(e.getMessage().contains("none.tar.gz") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void corruptArchiveIsNamed() throws IOException {
        Path archive = TestFiles.tarGz(tree(), "", tmp.resolve("t.tar.gz"));
        byte[] b = Files.readAllBytes(archive);
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cfg(cut, false)));
        assertTrue(e.getMessage().contains("cut.tar.gz") && e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
}
