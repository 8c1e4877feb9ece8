package io.vitlens.data;

import io.vitlens.data.augment.RandomErasing;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class RandomErasingTest {
    private static final int C = 3, S = 32;
    /** A value N(0, 1) noise never produces exactly, so every erased value shows. */
    private static final float BACKGROUND = 7.25f;

    private static float[] constantImage() {
        float[] img = new float[C * S * S];
        Arrays.fill(img, BACKGROUND);
        return img;
    }

    @Test
    void probabilityZeroIsTheIdentityAndDrawsNothing() {
        float[] img = constantImage();
        SplittableRandom r = new SplittableRandom(5);
        assertNull(new RandomErasing(0, C, S).apply(img, 0, r));
        assertArrayEquals(constantImage(), img);
        assertEquals(new SplittableRandom(5).nextLong(), r.nextLong(), "the generator was not advanced");
    }

    @Test
    void probabilityOneErasesExactlyOneRectangleOfTheAllowedAreaAndAspect() {
        RandomErasing erasing = new RandomErasing(1, C, S);
        double minArea = Double.MAX_VALUE, maxArea = 0, noiseSum = 0, noiseSq = 0;
        long noiseCount = 0;
        for (int seed = 0; seed < 300; seed++) {
            float[] img = constantImage();
            RandomErasing.Box box = erasing.apply(img, 0, new SplittableRandom(seed));
            assertNotNull(box, "seed " + seed + ": with p = 1 a rectangle always fits a 32x32 image in 10 tries");
            for (int c = 0; c < C; c++)
                for (int y = 0; y < S; y++)
                    for (int x = 0; x < S; x++) {
                        boolean inside = y >= box.top() && y < box.top() + box.height()
                                && x >= box.left() && x < box.left() + box.width();
                        float v = img[(c * S + y) * S + x];
                        assertEquals(inside, v != BACKGROUND, "seed " + seed + " c" + c + " y" + y + " x" + x + " " + box);
                        if (inside) {
                            noiseSum += v;
                            noiseSq += v * v;
                            noiseCount++;
                        }
                    }
            // h and w are rounded from sqrt(T a) and sqrt(T / a): the drawn area T and aspect a lie within half a pixel
            double h = box.height(), w = box.width(), area = S * S;
            assertTrue((h - 0.5) * (w - 0.5) <= RandomErasing.MAX_AREA * area, box + " larger than 1/3 of the image");
            assertTrue((h + 0.5) * (w + 0.5) >= RandomErasing.MIN_AREA * area, box + " smaller than 2% of the image");
            assertTrue((h + 0.5) / (w - 0.5) >= RandomErasing.MIN_ASPECT, box + " flatter than 0.3");
            assertTrue((h - 0.5) / (w + 0.5) <= RandomErasing.MAX_ASPECT, box + " taller than 1/0.3");
            minArea = Math.min(minArea, h * w / area);
            maxArea = Math.max(maxArea, h * w / area);
        }
        assertTrue(minArea < 0.05 && maxArea > 0.28, "areas span the range: " + minArea + " .. " + maxArea);
        double mean = noiseSum / noiseCount, var = noiseSq / noiseCount - mean * mean;
        assertEquals(0, mean, 0.02, "fill is N(0, 1) in normalised space");
        assertEquals(1, var, 0.03, "fill is N(0, 1) in normalised space");
    }

    @Test
    void onlyTheImageAtTheOffsetIsTouched() {
        float[] batch = new float[2 * C * S * S];
        Arrays.fill(batch, BACKGROUND);
        new RandomErasing(1, C, S).apply(batch, C * S * S, new SplittableRandom(1));
        for (int i = 0; i < C * S * S; i++) assertEquals(BACKGROUND, batch[i]);
    }

    @Test
    void halfProbabilityErasesAboutHalfTheImages() {
        RandomErasing erasing = new RandomErasing(0.5, C, S);
        SplittableRandom r = new SplittableRandom(3);
        int erased = 0;
        for (int i = 0; i < 2000; i++) if (erasing.apply(constantImage(), 0, r) != null) erased++;
        assertEquals(1000, erased, 100);
    }

    // ---- in the loader ----

    private static DataConfig cfg(long seed, double erasing) {
        Augmentation aug = new Augmentation(4, true, false, 2, 9, 0, 0, 1, erasing);
        return new DataConfig("synthetic-shapes", null, S, 16, 0, seed, aug, SyntheticSpec.defaults().withSizes(64, 32), false);
    }

    private static List<float[]> features(DataSetIterator it) {
        List<float[]> out = new ArrayList<>();
        while (it.hasNext()) {
            DataSet d = it.next();
            out.add(d.getFeatures().dup().data().asFloat());
        }
        return out;
    }

    @Test
    void trainBatchesDifferOnlyInOneRectanglePerImageAndAreTheSameForTheSameSeed() throws Exception {
        List<float[]> plain = features(Datasets.open(cfg(9, 0)).trainIterator(1));
        List<float[]> erased = features(Datasets.open(cfg(9, 1)).trainIterator(1));
        List<float[]> again = features(Datasets.open(cfg(9, 1)).trainIterator(1));
        List<float[]> otherSeed = features(Datasets.open(cfg(10, 1)).trainIterator(1));
        assertEquals(plain.size(), erased.size());
        int len = C * S * S;
        for (int b = 0; b < plain.size(); b++) {
            assertArrayEquals(erased.get(b), again.get(b), "batch " + b + " repeats for the same seed");
            assertFalse(Arrays.equals(erased.get(b), otherSeed.get(b)), "batch " + b + " differs for another seed");
            for (int i = 0; i < plain.get(b).length / len; i++) {
                // the changed values of image i: all in one channel-spanning rectangle (crop and flip unchanged)
                int top = S, bottom = -1, left = S, right = -1, changed = 0;
                for (int c = 0; c < C; c++)
                    for (int y = 0; y < S; y++)
                        for (int x = 0; x < S; x++) {
                            int k = i * len + (c * S + y) * S + x;
                            if (plain.get(b)[k] != erased.get(b)[k]) {
                                changed++;
                                top = Math.min(top, y);
                                bottom = Math.max(bottom, y);
                                left = Math.min(left, x);
                                right = Math.max(right, x);
                            }
                        }
                int boxArea = (bottom - top + 1) * (right - left + 1);
                assertTrue(changed > 0, "batch " + b + " image " + i + " was erased");
                assertEquals(C * boxArea, changed, "batch " + b + " image " + i + ": one full rectangle in every channel");
            }
        }
    }

    @Test
    void evaluationBatchesAreUntouched() throws Exception {
        LoadedDataset off = Datasets.open(cfg(9, 0)), on = Datasets.open(cfg(9, 1));
        for (Split s : List.of(Split.TEST)) {
            List<float[]> a = features(off.evalIterator(s, 0)), b = features(on.evalIterator(s, 0));
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k), b.get(k), s + " batch " + k);
        }
    }

    @Test
    void probabilityOutsideTheUnitIntervalIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Augmentation(0, false, false, 2, 9, 0, 0, 1, 1.5));
        assertTrue(e.getMessage().contains("randomErasing") && e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, false, 2, 9, 0, 0, 1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, false, false, 2, 9, 0, 0, 1, Double.NaN));
    }
}
