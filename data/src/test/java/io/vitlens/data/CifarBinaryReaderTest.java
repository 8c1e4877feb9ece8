package io.vitlens.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.vitlens.data.TestFiles.cifarPixel;
import static org.junit.jupiter.api.Assertions.*;

class CifarBinaryReaderTest {
    @TempDir
    Path tmp;

    private static DataConfig cifar(String name, Path dir, boolean skip) {
        return new DataConfig(name, dir, 32, 4, 0, 1, null, null, skip);
    }

    @Test
    void readsCifar10FolderInRecordOrderWithPixelsInPlanes() throws IOException {
        RawDataset raw = Datasets.load(cifar("cifar10", TestFiles.writeCifar10(tmp.resolve("c10")), false));
        assertEquals(TestFiles.CIFAR10_NAMES, raw.classNames());
        assertEquals(10, raw.train().count());
        assertEquals(3, raw.test().count());
        for (int id = 0; id < 10; id++) assertEquals(id % 10, raw.train().label(id), "train label " + id);
        assertArrayEquals(new int[]{9, 0, 5}, raw.test().labels());
        // record 7 is the second of data_batch_4; (c=2, y=31, x=5) is byte 2*1024 + 31*32 + 5 of its pixels
        assertEquals(cifarPixel(7, 2, 31, 5), raw.train().pixel(7, 2, 31, 5));
        assertEquals(cifarPixel(102, 1, 0, 31), raw.test().pixel(2, 1, 0, 31));
    }

    @Test
    void readsTheParentFolderAndTheTarGzWithTheSameResult() throws IOException {
        Path parent = tmp.resolve("parent");
        TestFiles.writeCifar10(parent.resolve("cifar-10-batches-bin"));
        RawDataset fromParent = Datasets.load(cifar("cifar10", parent, false));
        Path archive = TestFiles.tarGz(parent, "", tmp.resolve("cifar-10-binary.tar.gz"));
        RawDataset fromArchive = Datasets.load(cifar("cifar10", archive, false));
        assertTrue(fromParent.train().sameContent(fromArchive.train()));
        assertTrue(fromParent.test().sameContent(fromArchive.test()));
        // a folder holding only the archive
        Path holder = tmp.resolve("holder");
        Files.createDirectories(holder);
        Files.copy(archive, holder.resolve("cifar-10-binary.tar.gz"));
        assertTrue(fromParent.train().sameContent(Datasets.load(cifar("cifar10", holder, false)).train()));
    }

    @Test
    void cifar100UsesTheFineLabel() throws IOException {
        Path dir = tmp.resolve("c100");
        Files.createDirectories(dir);
        Files.write(dir.resolve("train.bin"), TestFiles.cifar100Records(new int[]{19, 3}, new int[]{99, 42}, 0));
        Files.write(dir.resolve("test.bin"), TestFiles.cifar100Records(new int[]{0}, new int[]{7}, 50));
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < 100; k++) names.append("class").append(k).append('\n');
        Files.writeString(dir.resolve("fine_label_names.txt"), names);
        RawDataset raw = Datasets.load(cifar("cifar100", dir, false));
        assertEquals(100, raw.numClasses());
        assertArrayEquals(new int[]{99, 42}, raw.train().labels());
        assertArrayEquals(new int[]{7}, raw.test().labels());
        assertEquals(cifarPixel(1, 0, 0, 0), raw.train().pixel(1, 0, 0, 0));
        assertEquals(cifarPixel(50, 2, 17, 9), raw.test().pixel(0, 2, 17, 9));
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Path dir = TestFiles.writeCifar10(tmp.resolve("c10"));
        Files.delete(dir.resolve("data_batch_3.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cifar("cifar10", dir, false)));
        assertTrue(e.getMessage().contains("data_batch_3.bin"), e.getMessage());
    }

    @Test
    void missingArchiveMemberIsNamed() throws IOException {
        Path dir = TestFiles.writeCifar10(tmp.resolve("c10"));
        Files.delete(dir.resolve("test_batch.bin"));
        Path archive = TestFiles.tarGz(dir, "cifar-10-batches-bin/", tmp.resolve("c.tar.gz"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cifar("cifar10", archive, false)));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("c.tar.gz"), e.getMessage());
    }

    @Test
    void missingDirectoryIsNamed() {
        Path nowhere = tmp.resolve("nowhere");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cifar("cifar10", nowhere, false)));
        assertTrue(e.getMessage().contains(nowhere.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void wrongFileLengthNamesFileExpectedAndActualSize() throws IOException {
        Path dir = TestFiles.writeCifar10(tmp.resolve("c10"));
        byte[] two = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
        Files.write(dir.resolve("data_batch_2.bin"), java.util.Arrays.copyOf(two, 2 * 3073 - 10));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cifar("cifar10", dir, false)));
        String m = e.getMessage();
        assertTrue(m.contains("data_batch_2.bin") && m.contains(Integer.toString(2 * 3073 - 10))
                && m.contains("3073") && m.contains(Integer.toString(2 * 3073)), m);
    }

    @Test
    void labelOutOfRangeIsNamedOrSkippedAndCounted() throws IOException {
        Path dir = TestFiles.writeCifar10(tmp.resolve("c10"));
        Files.write(dir.resolve("data_batch_5.bin"), TestFiles.cifar10Records(new int[]{8, 10}, 8));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cifar("cifar10", dir, false)));
        assertTrue(e.getMessage().contains("data_batch_5.bin") && e.getMessage().contains("record 1")
                && e.getMessage().contains("label 10") && e.getMessage().contains("0..9"), e.getMessage());

        LoadedDataset ds = Datasets.open(cifar("cifar10", dir, true));
        assertEquals(9, ds.size(Split.TRAIN));
        assertEquals(1, ds.summary().skipped());
    }

    @Test
    void wrongNumberOfClassNamesIsReported() throws IOException {
        Path dir = TestFiles.writeCifar10(tmp.resolve("c10"));
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", List.of("a", "b")));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(cifar("cifar10", dir, false)));
        assertTrue(e.getMessage().contains("batches.meta.txt") && e.getMessage().contains("expected 10"), e.getMessage());
    }

    @Test
    void imageSizeOtherThan32IsRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataConfig("cifar10", tmp, 64, 4, 0, 1, null, null, false));
        assertTrue(e.getMessage().startsWith("data.imageSize"), e.getMessage());
    }
}
