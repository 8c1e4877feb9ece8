package io.vitlens.data.synthetic;

import io.vitlens.data.ImageSet;
import io.vitlens.data.RawDataset;
import io.vitlens.data.SyntheticSpec;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticShapesTest {
    private static final SyntheticSpec SMALL = SyntheticSpec.defaults().withSizes(300, 50);

    @Test
    void sameSeedGivesByteIdenticalDataAndOtherSeedsDoNot() {
        RawDataset a = SyntheticShapes.generate(SMALL, 32), b = SyntheticShapes.generate(SMALL, 32);
        assertTrue(a.train().sameContent(b.train()));
        assertTrue(a.test().sameContent(b.test()));
        SyntheticSpec other = new SyntheticSpec(300, 50, 2, 10, SMALL.minScale(), SMALL.maxScale(),
                SMALL.backgroundContrast(), SMALL.minContrast(), SMALL.pixelNoise());
        RawDataset c = SyntheticShapes.generate(other, 32);
        assertFalse(java.util.Arrays.equals(a.train().pixels(), c.train().pixels()));
        // the test split is its own stream, not a copy of the first training images
        byte[] firstTrain = java.util.Arrays.copyOf(a.train().pixels(), 3072);
        byte[] firstTest = java.util.Arrays.copyOf(a.test().pixels(), 3072);
        assertFalse(java.util.Arrays.equals(firstTrain, firstTest));
    }

    @Test
    void classesAreBalancedAndNamed() {
        RawDataset d = SyntheticShapes.generate(SMALL, 32);
        assertArrayEquals(new int[]{30, 30, 30, 30, 30, 30, 30, 30, 30, 30}, d.train().classCounts(10));
        assertArrayEquals(new int[]{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, d.test().classCounts(10));
        assertEquals(List.of("disc", "square", "triangle", "ring", "cross", "horizontal bars", "vertical bars",
                "diagonal stripes", "checker", "blob"), d.classNames());
        SyntheticSpec four = new SyntheticSpec(10, 0, 1, 4, 0.3, 0.6, 0.1, 0.2, 0.0);
        RawDataset f = SyntheticShapes.generate(four, 32);
        assertArrayEquals(new int[]{3, 3, 2, 2}, f.train().classCounts(4));
        assertEquals(List.of("disc", "square", "triangle", "ring"), f.classNames());
    }

    @Test
    void anySizeWorks() {
        RawDataset d = SyntheticShapes.generate(SyntheticSpec.defaults().withSizes(20, 0), 48);
        assertEquals(48, d.imageSize());
        assertEquals(20 * 3 * 48 * 48, d.train().pixels().length);
    }

    /**
     * On a flat background without noise, the object is every pixel that differs from the most common
     * colour: its centre and extent must vary over the image, or a model could learn one fixed location.
     */
    @Test
    void objectsAppearAtVariedPositionsAndScales() {
        SyntheticSpec flat = new SyntheticSpec(400, 0, 5, 10, 0.3, 0.65, 0.0, 0.25, 0.0);
        ImageSet set = SyntheticShapes.generate(flat, 32).train();
        double[] cx = new double[set.count()], cy = new double[set.count()], extent = new double[set.count()];
        for (int i = 0; i < set.count(); i++) {
            Map<Integer, Integer> freq = new HashMap<>();
            int[] rgb = new int[1024];
            for (int p = 0; p < 1024; p++) {
                rgb[p] = set.pixel(i, 0, p / 32, p % 32) << 16 | set.pixel(i, 1, p / 32, p % 32) << 8 | set.pixel(i, 2, p / 32, p % 32);
                freq.merge(rgb[p], 1, Integer::sum);
            }
            int bg = freq.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            double sx = 0, sy = 0;
            int n = 0, minX = 32, maxX = -1, minY = 32, maxY = -1;
            for (int p = 0; p < 1024; p++) {
                if (rgb[p] == bg) continue;
                int x = p % 32, y = p / 32;
                sx += x;
                sy += y;
                n++;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            assertTrue(n >= 10, "image " + i + " shows an object (" + n + " pixels)");
            cx[i] = sx / n;
            cy[i] = sy / n;
            extent[i] = Math.max(maxX - minX, maxY - minY) + 1;
        }
        assertTrue(std(cx) > 3 && std(cy) > 3, "centre spread x " + std(cx) + ", y " + std(cy));
        assertTrue(min(cx) < 12 && max(cx) > 20 && min(cy) < 12 && max(cy) > 20, "centres cover the image");
        assertTrue(min(extent) < 12 && max(extent) > 19 && std(extent) > 2, "extent " + min(extent) + ".." + max(extent));
    }

    @Test
    void tenThousandImagesGenerateInUnderTenSeconds() {
        long t0 = System.nanoTime();
        RawDataset d = SyntheticShapes.generate(SyntheticSpec.defaults().withSizes(10_000, 0), 32);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("synthetic-shapes: 10000 images of 32x32 in %.2f s%n", s);
        assertEquals(10_000, d.train().count());
        assertTrue(s < 10, "took " + s + " s");
    }

    @Test
    void backgroundNoiseIsStandardisedAndSpatiallyCorrelatedLikeOneOverF() {
        int size = 32;
        double[] f = new double[size * size], lattice = new double[18 * 18];
        double near = 0, far = 0;
        int fields = 200;
        SplittableRandom r = new SplittableRandom(4);
        for (int t = 0; t < fields; t++) {
            ValueNoise.field(size, r, f, lattice);
            double mean = 0, var = 0;
            for (double v : f) mean += v;
            mean /= f.length;
            for (double v : f) var += (v - mean) * (v - mean);
            assertEquals(0, mean, 1e-9);
            assertEquals(1, var / f.length, 1e-9);
            near += correlation(f, size, 1);
            far += correlation(f, size, 8);
        }
        near /= fields;
        far /= fields;
        // neighbours nearly equal, distant pixels much less alike: correlation decays with distance
        assertTrue(near > 0.85, "lag-1 correlation " + near);
        assertTrue(far < near - 0.3, "lag-8 correlation " + far + " vs lag-1 " + near);
    }

    @Test
    void barAndStripeClassesHaveTheirOrientation() {
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 20; t++) {
            ShapeClass.Mask h = ShapeClass.HORIZONTAL_BARS.sample(r).mask();
            ShapeClass.Mask v = ShapeClass.VERTICAL_BARS.sample(r).mask();
            int hChanges = 0, vChanges = 0;
            for (int k = -70; k < 70; k++) {
                double a = k / 100.0, b = (k + 1) / 100.0;
                assertEquals(h.inside(-0.7, 0.05), h.inside(0.7, 0.05));   // constant along a row
                if (h.inside(0, a) != h.inside(0, b)) hChanges++;           // alternating down a column
                if (v.inside(a, 0) != v.inside(b, 0)) vChanges++;
                assertEquals(v.inside(0.05, -0.7), v.inside(0.05, 0.7));
            }
            assertTrue(hChanges >= 2 && vChanges >= 2, "bars alternate: " + hChanges + ", " + vChanges);
        }
        ShapeClass.Mask ring = ShapeClass.RING.sample(r).mask();
        assertFalse(ring.inside(0, 0));
        assertTrue(ring.inside(0.9, 0));
        ShapeClass.Mask disc = ShapeClass.DISC.sample(r).mask();
        assertTrue(disc.inside(0, 0) && disc.inside(0.7, 0.7) && !disc.inside(0.75, 0.75));
    }

    private static double correlation(double[] f, int size, int lag) {
        double s = 0;
        int n = 0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x + lag < size; x++) {
                s += f[y * size + x] * f[y * size + x + lag];
                n++;
            }
        return s / n;   // fields are standardised: mean 0, variance 1
    }

    private static double std(double[] v) {
        double m = 0, q = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) q += (x - m) * (x - m);
        return Math.sqrt(q / v.length);
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }
}
