package io.vitlens.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DatasetCacheTest {
    @TempDir
    Path tmp;

    private LoadedDataset source() throws IOException {
        return Datasets.open(new DataConfig("synthetic-shapes", null, 16, 8, 0.25, 3, null,
                SyntheticSpec.defaults().withSizes(40, 10), false));
    }

    @Test
    void roundTripKeepsEverythingAndOpensAsDatasetCache() throws IOException {
        LoadedDataset ds = source();
        Path file = tmp.resolve("sub/shapes.vitcache");
        DatasetCache.write(ds, file);
        assertEquals(List.of("shapes.vitcache"), Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList(),
                "no temporary file left behind");
        RawDataset back = DatasetCache.read(file);
        assertEquals(ds.name(), back.name());
        assertEquals(ds.classNames(), back.classNames());
        assertTrue(ds.raw().train().sameContent(back.train()));
        assertTrue(ds.raw().test().sameContent(back.test()));
        // 8 header ints/UTF + labels (4 bytes each) + pixels + CRC: pixels dominate
        long pixels = 50L * 3 * 16 * 16;
        assertTrue(Files.size(file) > pixels + 4 * 50 && Files.size(file) < pixels + 4 * 50 + 400, "size " + Files.size(file));

        LoadedDataset reopened = Datasets.open(new DataConfig("cache", file, 16, 8, 0.25, 3, null, null, false));
        assertArrayEquals(ds.mean(), reopened.mean());
        assertEquals(ds.size(Split.VALIDATION), reopened.size(Split.VALIDATION));
        assertEquals(ds.trainIterator(1).next().getFeatures(), reopened.trainIterator(1).next().getFeatures());
    }

    @Test
    void wrongImageSizeForACacheIsRejected() throws IOException {
        Path file = tmp.resolve("c.bin");
        DatasetCache.write(source(), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.open(new DataConfig("cache", file, 32, 8, 0, 3, null, null, false)));
        assertTrue(e.getMessage().startsWith("data.imageSize") && e.getMessage().contains("16x16"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    }

    @Test
    void notACacheFileIsNamed() throws IOException {
        Path file = tmp.resolve("junk.bin");
        Files.write(file, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCache.read(file));
        assertTrue(e.getMessage().contains("junk.bin") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void truncatedCacheIsNamed() throws IOException {
        Path file = tmp.resolve("c.bin");
        DatasetCache.write(source(), file);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 100));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCache.read(file));
        assertTrue(e.getMessage().contains("c.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void flippedPixelFailsTheChecksum() throws IOException {
        Path file = tmp.resolve("c.bin");
        DatasetCache.write(source(), file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() - 500;   // inside the test pixels
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetCache.read(file));
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
    }

    @Test
    void missingCacheFileIsNamed() {
        Path file = tmp.resolve("absent.vitcache");
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.open(new DataConfig("cache", file, 16, 8, 0, 3, null, null, false)));
        assertTrue(e.getMessage().contains("absent.vitcache"), e.getMessage());
    }
}
