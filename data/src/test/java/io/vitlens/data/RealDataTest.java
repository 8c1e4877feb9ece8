package io.vitlens.data;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real datasets, where this machine has them; skipped elsewhere (no test may need the internet). */
class RealDataTest {
    /** shared/datasets/cifar10-jpg.tar.gz beside the repository root (the module runs one level below it). */
    static Path sharedCifarJpg() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolve("shared/datasets/cifar10-jpg.tar.gz");
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    @Test
    void cifar10JpegArchiveHasFiftyThousandTrainAndTenThousandTestImages() throws IOException {
        Path archive = sharedCifarJpg();
        assumeTrue(archive != null, "shared/datasets/cifar10-jpg.tar.gz not present");
        LoadedDataset ds = openCifarJpg(archive);
        DataSummary sum = ds.summary();
        assertEquals(50_000, sum.total(Split.TRAIN));
        assertEquals(10_000, sum.total(Split.TEST));
        assertEquals(java.util.List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                ds.classNames());
        for (int k = 0; k < 10; k++) {
            assertEquals(5000, sum.count(Split.TRAIN, k));
            assertEquals(1000, sum.count(Split.TEST, k));
        }
        // published CIFAR-10 training means (0.4914, 0.4822, 0.4465); JPEG round-off moves them slightly
        float[] m = ds.mean();
        assertEquals(0.4914, m[0], 0.005);
        assertEquals(0.4822, m[1], 0.005);
        assertEquals(0.4465, m[2], 0.005);
        DataSet first = ds.evalIterator(Split.TEST, 10).next();
        assertArrayEquals(new long[]{10, 3, 32, 32}, first.getFeatures().shape());
    }

    /** Wall clock: excluded from the default suite (a loaded CI machine says nothing about the code); mvn -Ptiming. */
    @Test
    @Tag("timing")
    void cifar10JpegArchiveDecodesInUnderAMinute() throws IOException {
        Path archive = sharedCifarJpg();
        assumeTrue(archive != null, "shared/datasets/cifar10-jpg.tar.gz not present");
        long t0 = System.nanoTime();
        openCifarJpg(archive);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("cifar10-jpg.tar.gz: 60000 JPEGs decoded in %.1f s%n", s);
        assertTrue(s < 60, "decoding took " + s + " s");
    }

    private static LoadedDataset openCifarJpg(Path archive) throws IOException {
        return Datasets.open(new DataConfig("image-folder", archive, 32, 256, 0, 1, null, null, false));
    }

    @Test
    void debianFashionMnistHasSixtyThousandTrainAndTenThousandTestImages() throws IOException {
        assumeTrue(Files.isDirectory(Datasets.DEBIAN_FASHION_MNIST), "dataset-fashion-mnist not installed");
        LoadedDataset ds = Datasets.open(new DataConfig("fashion-mnist", null, 28, 256, 0, 1, null, null, false));
        assertEquals(60_000, ds.size(Split.TRAIN));
        assertEquals(10_000, ds.size(Split.TEST));
        assertEquals(1, ds.channels());
        for (int k = 0; k < 10; k++) assertEquals(6000, ds.summary().count(Split.TRAIN, k));
        assertEquals(1000, ds.summary().count(Split.TEST, 9));
    }
}
