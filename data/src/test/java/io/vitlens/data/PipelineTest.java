package io.vitlens.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PipelineTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    /**
     * 1 channel, 2x2. Train image i (0..29) is all value 2i + 1 with label i % 3; test image j (0..6)
     * is all value 200 + j with label j % 3. The pixel value identifies the image in a batch.
     */
    private static RawDataset tiny() {
        return new RawDataset("tiny", CLASSES, constantImages(30, 1, 2), constantImages(7, 200, 1), 0);
    }

    private static ImageSet constantImages(int n, int base, int step) {
        byte[] px = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(px, i * 4, i * 4 + 4, (byte) (base + step * i));
            labels[i] = i % 3;
        }
        return new ImageSet(px, labels, 1, 2);
    }

    private static DataConfig cfg(int batch, double val, long seed, Augmentation aug) {
        return new DataConfig("synthetic-shapes", null, 2, batch, val, seed, aug, null, false);
    }

    private static List<DataSet> all(DataSetIterator it) {
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) out.add(it.next());
        return out;
    }

    /** The stored value of each image in a batch, recovered by inverting the normalisation. */
    private static List<Integer> values(LoadedDataset ds, List<DataSet> batches) {
        List<Integer> v = new ArrayList<>();
        for (DataSet d : batches) {
            INDArray f = d.getFeatures();
            for (int i = 0; i < f.size(0); i++)
                v.add((int) Math.round((f.getDouble(i, 0, 1, 1) * ds.std()[0] + ds.mean()[0]) * 255));
        }
        return v;
    }

    @Test
    void evalBatchesAreNchwFloatNormalisedOneHotInFileOrder() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(4, 0, 1, null));
        // mean of 1, 3, ..., 59 is 30; population variance of 2i+1 over i < 30 is 4 (900 - 1) / 12
        assertEquals(30 / 255.0, ds.mean()[0], 1e-6);
        assertEquals(Math.sqrt(4 * 899 / 12.0) / 255, ds.std()[0], 1e-6);
        List<DataSet> batches = all(ds.evalIterator(Split.TEST, 0));
        assertEquals(2, batches.size());
        assertArrayEquals(new long[]{4, 1, 2, 2}, batches.get(0).getFeatures().shape());
        assertArrayEquals(new long[]{3, 1, 2, 2}, batches.get(1).getFeatures().shape());
        assertArrayEquals(new long[]{3, 3}, batches.get(1).getLabels().shape());
        assertEquals(DataType.FLOAT, batches.get(0).getFeatures().dataType());
        assertEquals(DataType.FLOAT, batches.get(0).getLabels().dataType());
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < batches.get(b).numExamples(); i++) {
                int j = 4 * b + i;
                double expect = ((200 + j) / 255.0 - ds.mean()[0]) / ds.std()[0];
                assertEquals(expect, batches.get(b).getFeatures().getDouble(i, 0, 0, 1), 1e-5);
                for (int k = 0; k < 3; k++)
                    assertEquals(k == j % 3 ? 1.0 : 0.0, batches.get(b).getLabels().getDouble(i, k));
            }
    }

    @Test
    void evalLimitTakesTheFirstImages() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(4, 0, 1, null));
        assertEquals(List.of(200, 201, 202, 203, 204), values(ds, all(ds.evalIterator(Split.TEST, 5))));
        assertEquals(7, values(ds, all(ds.evalIterator(Split.TEST, 100))).size());
    }

    @Test
    void spreadEvalLimitSpreadsOverTheSplit() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(4, 0, 1, null));
        // 5 of the 7 test images 200..206: positions floor(i * 7 / 5) = 0, 1, 2, 4, 5
        assertEquals(List.of(200, 201, 202, 204, 205), values(ds, all(ds.spreadEvalIterator(Split.TEST, 5))));
        assertEquals(7, values(ds, all(ds.spreadEvalIterator(Split.TEST, 0))).size());
    }

    @Test
    void evalLimitOnClassSortedDataCoversEveryClassInProportion() {
        int[] all = new int[1000];   // 10 classes stored one after the other, 100 each
        for (int i = 0; i < all.length; i++) all[i] = i;
        int[] perClass = new int[10];
        for (int i : InMemoryDataset.evenlySpaced(all, 100)) perClass[i / 100]++;
        assertArrayEquals(new int[]{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, perClass);
        assertEquals(all, InMemoryDataset.evenlySpaced(all, 0));
    }

    @Test
    void validationIsStratifiedDisjointAndInStoredOrder() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(5, 0.2, 9, null));
        assertEquals(6, ds.size(Split.VALIDATION));   // round(0.2 * 10) per class
        assertEquals(24, ds.size(Split.TRAIN));
        DataSummary s = ds.summary();
        assertEquals(List.of(2, 2, 2), s.countsPerClass().get(Split.VALIDATION));
        assertEquals(List.of(8, 8, 8), s.countsPerClass().get(Split.TRAIN));
        List<Integer> val = values(ds, all(ds.evalIterator(Split.VALIDATION, 0)));
        List<Integer> sorted = new ArrayList<>(val);
        sorted.sort(null);
        assertEquals(sorted, val);
        List<Integer> train = values(ds, all(ds.trainIterator(0)));
        for (int v : val) assertFalse(train.contains(v), "validation image " + v + " also in training");
        List<Integer> union = new ArrayList<>(train);
        union.addAll(val);
        union.sort(null);
        List<Integer> everything = new ArrayList<>();
        for (int i = 0; i < 30; i++) everything.add(2 * i + 1);
        assertEquals(everything, union);
    }

    @Test
    void trainEpochIsAPermutationFixedBySeedAndEpoch() {
        LoadedDataset a = new InMemoryDataset(tiny(), cfg(4, 0, 7, null));
        LoadedDataset b = new InMemoryDataset(tiny(), cfg(4, 0, 7, null));
        List<Integer> e0 = values(a, all(a.trainIterator(0)));
        assertEquals(e0, values(b, all(b.trainIterator(0))));
        List<Integer> sorted = new ArrayList<>(e0);
        sorted.sort(null);
        List<Integer> everything = new ArrayList<>();
        for (int i = 0; i < 30; i++) everything.add(2 * i + 1);
        assertEquals(everything, sorted);
        assertNotEquals(everything, e0, "epoch 0 is shuffled");
        assertNotEquals(e0, values(a, all(a.trainIterator(1))), "epochs differ");
        LoadedDataset other = new InMemoryDataset(tiny(), cfg(4, 0, 8, null));
        assertNotEquals(e0, values(other, all(other.trainIterator(0))), "seeds differ");
    }

    @Test
    void augmentedBatchesAreIdenticalForTheSameSeedAndResetReplaysThem() throws Exception {
        Augmentation aug = new Augmentation(4, true, true, 2, 9, 0.8, 1.0, 0.8);
        SyntheticSpec spec = SyntheticSpec.defaults().withSizes(200, 20);
        DataConfig c = new DataConfig("synthetic-shapes", null, 32, 32, 0.1, 3, aug, spec, false);
        LoadedDataset a = Datasets.open(c), b = Datasets.open(c);
        DataSetIterator ia = a.trainIterator(2), ib = b.trainIterator(2);
        List<DataSet> first = all(ia);
        List<DataSet> second = all(ib);
        assertEquals(first.size(), second.size());
        for (int k = 0; k < first.size(); k++) {
            assertEquals(first.get(k).getFeatures(), second.get(k).getFeatures(), "features of batch " + k);
            assertEquals(first.get(k).getLabels(), second.get(k).getLabels(), "labels of batch " + k);
        }
        ia.reset();
        List<DataSet> replay = all(ia);
        for (int k = 0; k < first.size(); k++) assertEquals(first.get(k).getFeatures(), replay.get(k).getFeatures());
        LoadedDataset d = Datasets.open(new DataConfig("synthetic-shapes", null, 32, 32, 0.1, 4, aug, spec, false));
        assertNotEquals(first.get(0).getFeatures(), d.trainIterator(2).next().getFeatures());
    }

    @Test
    void anEpochWithAnotherAugmentationIsTheEpochOfADatasetConfiguredWithIt() throws Exception {
        // what a schedule of augmentations (data.final-augmentation) relies on: the augmentation passed in replaces
        // the config's and nothing else changes (shuffle, crop / flip / RandAugment / mix / erasing streams)
        Augmentation strong = new Augmentation(4, true, true, 2, 9, 0.8, 1.0, 0.8, 0.5);
        Augmentation light = new Augmentation(4, true, false, 2, 9, 0, 0, 1.0, 0);
        SyntheticSpec spec = SyntheticSpec.defaults().withSizes(100, 20);
        LoadedDataset configuredStrong = Datasets.open(new DataConfig("synthetic-shapes", null, 32, 32, 0.1, 3, strong, spec, false));
        LoadedDataset configuredLight = Datasets.open(new DataConfig("synthetic-shapes", null, 32, 32, 0.1, 3, light, spec, false));
        for (int epoch : new int[]{1, 7}) {
            List<DataSet> switched = all(configuredStrong.trainIterator(epoch, light));
            List<DataSet> expected = all(configuredLight.trainIterator(epoch));
            List<DataSet> unswitched = all(configuredStrong.trainIterator(epoch, strong));
            List<DataSet> strongEpoch = all(configuredStrong.trainIterator(epoch));
            assertEquals(expected.size(), switched.size());
            for (int k = 0; k < expected.size(); k++) {
                assertEquals(expected.get(k).getFeatures(), switched.get(k).getFeatures(), "epoch " + epoch + " batch " + k);
                assertEquals(expected.get(k).getLabels(), switched.get(k).getLabels(), "epoch " + epoch + " batch " + k);
                assertEquals(strongEpoch.get(k).getFeatures(), unswitched.get(k).getFeatures());
            }
            assertNotEquals(strongEpoch.get(0).getFeatures(), switched.get(0).getFeatures(), "the augmentation did change");
        }
    }

    @Test
    void mixedLabelsAreSoftAndSumToOne() {
        Augmentation aug = new Augmentation(0, false, false, 2, 9, 1.0, 0, 1.0);
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(6, 0, 1, aug));
        int soft = 0;
        for (DataSet d : all(ds.trainIterator(0))) {
            INDArray y = d.getLabels();
            for (int i = 0; i < y.size(0); i++) {
                assertEquals(1.0, y.getRow(i).sumNumber().doubleValue(), 1e-6);
                if (y.getRow(i).maxNumber().doubleValue() < 0.999) soft++;
            }
        }
        assertTrue(soft > 0, "mixup with alpha 1 on every batch must produce soft labels");
        // evaluation is never mixed
        for (DataSet d : all(ds.evalIterator(Split.TEST, 0)))
            assertEquals(1.0, d.getLabels().maxNumber().doubleValue());
    }

    @Test
    void producerFailureReachesTheConsumer() {
        BatchIterator it = new BatchIterator(() -> k -> {
            if (k == 1) throw new IllegalStateException("boom at 1");
            return new DataSet(org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 1, 1), org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 1, 1));
        }, 3, 1, 1, 1, List.of("x"), 2, "test-producer");
        it.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("batch 1") && e.getCause().getMessage().equals("boom at 1"), e.getMessage());
        it.close();
    }

    @Test
    void abandonedIteratorCanBeClosedAndReset() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(1, 0, 1, null));
        DataSetIterator it = ds.trainIterator(0);
        int first = values(ds, List.of(it.next())).get(0);
        ((BatchIterator) it).close();   // the producer was blocked on a full queue
        it.reset();
        assertEquals(first, values(ds, List.of(it.next())).get(0));
        assertEquals(30, ((BatchIterator) it).numBatches());
    }

    @Test
    void producerOfADroppedIteratorEnds() throws InterruptedException {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(1, 0, 1, null));
        DataSetIterator it = ds.trainIterator(4242);
        it.next();   // starts the producer, which fills the queue and blocks
        Thread producer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("vitlens-train-epoch-4242")).findFirst().orElseThrow();
        it = null;
        for (int i = 0; i < 100 && producer.isAlive(); i++) {
            System.gc();
            producer.join(100);
        }
        assertFalse(producer.isAlive(), "producer still running after its iterator was collected");
    }

    @Test
    void summaryTableListsEveryClassAndSplit() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(4, 0.2, 1, null));
        DataSummary s = ds.summary();
        assertEquals(Map.of(Split.TRAIN, 24, Split.VALIDATION, 6, Split.TEST, 7),
                Map.of(Split.TRAIN, s.total(Split.TRAIN), Split.VALIDATION, s.total(Split.VALIDATION), Split.TEST, s.total(Split.TEST)));
        String[] lines = s.table().split("\\R");
        assertEquals("dataset tiny: 2x2, 1 channel, 3 classes, 0 skipped", lines[0]);
        assertTrue(lines[1].startsWith("mean [0.") && lines[1].contains("std ["), lines[1]);
        assertEquals(List.of("class", "train", "validation", "test"), List.of(lines[2].trim().split("\\s+")));
        assertEquals(List.of("a", "8", "2", "3"), List.of(lines[3].trim().split("\\s+")));
        assertEquals(List.of("c", "8", "2", "2"), List.of(lines[5].trim().split("\\s+")));
        assertEquals(List.of("total", "24", "6", "7"), List.of(lines[6].trim().split("\\s+")));
    }

    @Test
    void constantChannelGetsAFlooredStd() {
        ImageSet flat = new ImageSet(new byte[]{9, 9, 9, 9, 9, 9, 9, 9}, new int[]{0, 1}, 1, 2);
        LoadedDataset ds = new InMemoryDataset(new RawDataset("flat", List.of("x", "y"), flat, ImageSet.empty(1, 2), 0),
                cfg(2, 0, 1, null));
        assertEquals(9 / 255f, ds.mean()[0], 1e-7);
        assertEquals(1 / 255f, ds.std()[0], 1e-7);
    }

    @Test
    void benchmarkCountsTheImagesItTimed() {
        LoadedDataset ds = new InMemoryDataset(tiny(), cfg(4, 0, 1, Augmentation.cropFlip(1)));
        DataBenchmark.Result r = DataBenchmark.measure(ds, 20);   // runs past one 8-batch epoch
        assertEquals(20, r.batches());
        assertTrue(r.images() >= 20 * 2 && r.images() <= 20 * 4, "images " + r.images());
        assertTrue(r.imagesPerSecond() > 0);
    }
}
