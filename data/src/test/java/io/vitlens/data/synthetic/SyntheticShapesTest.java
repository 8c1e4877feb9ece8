package io.vitlens.data.synthetic;

import io.vitlens.data.ImageSet;
import io.vitlens.data.RawDataset;
import io.vitlens.data.SyntheticSpec;
import org.junit.jupiter.api.Tag;
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
    void tenThousandImagesGenerate() {
        RawDataset d = SyntheticShapes.generate(SyntheticSpec.defaults().withSizes(10_000, 0), 32);
        assertEquals(10_000, d.train().count());
    }

    /** Wall clock: excluded from the default suite (a loaded CI machine says nothing about the code); mvn -Ptiming. */
    @Test
    @Tag("timing")
    void tenThousandImagesGenerateInUnderTenSeconds() {
        long t0 = System.nanoTime();
        SyntheticShapes.generate(SyntheticSpec.defaults().withSizes(10_000, 0), 32);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("synthetic-shapes: 10000 images of 32x32 in %.2f s%n", s);
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

    /** Spec with every knob named: flat background and no noise unless a test asks for them. */
    private static SyntheticSpec spec(int n, int classes, double minScale, double maxScale, double background,
                                      double minContrast, double cue, double margin, int objects, double light) {
        return new SyntheticSpec(n, 0, 7, classes, minScale, maxScale, background, minContrast, 0.0, cue, margin,
                objects, light);
    }

    @Test
    void newKnobsAreValidatedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(1, 2, 0.3, 0.5, 0, 0, 1.5, 0, 1, 0))
                .getMessage().startsWith("data.synthetic.colourCue: 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(1, 2, 0.3, 0.5, 0, 0, 0, -1.5, 1, 0))
                .getMessage().startsWith("data.synthetic.edgeMargin: -1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(1, 2, 0.3, 0.5, 0, 0, 0, 0, 0, 0))
                .getMessage().startsWith("data.synthetic.objectsPerImage: 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(1, 2, 0.3, 0.5, 0, 0, 0, 0, 1, -0.1))
                .getMessage().startsWith("data.synthetic.lightGradient: -0.1"));
        // the nine-argument form is the old dataset: no cue, objects kept inside, one object, no light
        SyntheticSpec old = new SyntheticSpec(1, 0, 7, 2, 0.3, 0.5, 0, 0, 0);
        assertEquals(spec(1, 2, 0.3, 0.5, 0, 0, 0, 0.85, 1, 0), old);
    }

    /**
     * With the full cue every object has its class's colour, jittered by at most 0.08 per channel: disc
     * red (0.85, 0.10, 0.10), square blue (0.10, 0.35, 0.90). Without the cue few objects come that close.
     */
    @Test
    void colourCuePaintsObjectsInTheirClassColour() {
        double[][] typical = {{0.85, 0.10, 0.10}, {0.10, 0.35, 0.90}};
        ImageSet cued = SyntheticShapes.generate(spec(200, 2, 0.5, 0.5, 0, 0, 1, 0.85, 1, 0), 32).train();
        ImageSet plain = SyntheticShapes.generate(spec(200, 2, 0.5, 0.5, 0, 0, 0, 0.85, 1, 0), 32).train();
        int near = 0;
        for (int i = 0; i < cued.count(); i++) {
            int[] obj = objectColour(cued, i);
            for (int c = 0; c < 3; c++)
                assertEquals(255 * typical[cued.labels()[i]][c], obj[c], 255 * 0.08 + 1, "image " + i + " channel " + c);
            int[] other = objectColour(plain, i);
            boolean close = true;
            for (int c = 0; c < 3; c++) close &= Math.abs(255 * typical[plain.labels()[i]][c] - other[c]) <= 255 * 0.08 + 1;
            if (close) near++;
        }
        assertTrue(near < 20, near + " of 200 random colours fell within the jitter of the class colour");
    }

    /**
     * Discs of radius 8 px (area 201 px) on a flat background: with the default margin nearly all of each
     * disc is visible; with margin 0 the centre may sit on the border (a quarter visible in a corner); with
     * margin -1 it may lie a radius outside, so some discs barely show.
     */
    @Test
    void edgeMarginDecidesHowFarObjectsReachOverTheBorder() {
        double[] kept = discVisibleFractions(0.85), border = discVisibleFractions(0), outside = discVisibleFractions(-1);
        assertTrue(min(kept) > 0.9, "margin 0.85: smallest visible share " + min(kept));
        assertTrue(min(border) > 0.2 && min(border) < 0.6, "margin 0: smallest visible share " + min(border));
        assertTrue(min(outside) < 0.1, "margin -1: smallest visible share " + min(outside));
    }

    private static double[] discVisibleFractions(double margin) {
        ImageSet set = SyntheticShapes.generate(spec(400, 2, 0.5, 0.5, 0, 0.25, 0, margin, 1, 0), 32).train();
        double[] f = new double[set.count() / 2];
        for (int i = 0; i < set.count(); i += 2) f[i / 2] = objectPixels(set, i) / (Math.PI * 8 * 8);   // class 0: disc
        return f;
    }

    @Test
    void threeObjectsCoverAboutThreeTimesTheArea() {
        ImageSet one = SyntheticShapes.generate(spec(200, 2, 0.25, 0.25, 0, 0.25, 0, 0.85, 1, 0), 32).train();
        ImageSet three = SyntheticShapes.generate(spec(200, 2, 0.25, 0.25, 0, 0.25, 0, 0.85, 3, 0), 32).train();
        double a = 0, b = 0;
        for (int i = 0; i < 200; i++) {
            a += objectPixels(one, i);
            b += objectPixels(three, i);
        }
        // overlaps between the three only take area away
        assertTrue(b / a > 2.2 && b / a <= 3.05, "area ratio " + b / a);
    }

    /** On a flat background the light gradient is the only thing that changes down a column; objects are lit too. */
    @Test
    void lightGradientBrightensTheTopByItsStrength() {
        double light = 0.2;   // +-0.1 keeps backgrounds with means in [0.15, 0.85] away from clipping
        ImageSet set = SyntheticShapes.generate(spec(50, 2, 0.3, 0.3, 0, 0.25, 0, 0.85, 1, light), 32).train();
        double expected = 255 * light * 31 / 32;   // the shift is evaluated at pixel centres 0.5 and 31.5
        for (int i = 0; i < set.count(); i++)
            for (int c = 0; c < 3; c++) {
                int top = rowMode(set, i, c, 0), bottom = rowMode(set, i, c, 31);
                assertEquals(expected, top - bottom, 1.0, "image " + i + " channel " + c);
            }
        ImageSet dark = SyntheticShapes.generate(spec(50, 2, 0.3, 0.3, 0, 0.25, 0, 0.85, 1, 0), 32).train();
        for (int c = 0; c < 3; c++) assertEquals(rowMode(dark, 0, c, 0), rowMode(dark, 0, c, 31));
        // the same images unlit and lit differ by the row's shift everywhere, on the object as on the
        // background, except where the lit value clips at 0 or 255
        for (int i = 0; i < set.count(); i++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y += 31)
                    for (int x = 0; x < 32; x++) {
                        int lit = set.pixel(i, c, y, x), unlit = dark.pixel(i, c, y, x);
                        if (lit == 0 || lit == 255) continue;
                        assertEquals(255 * light * (0.5 - (y + 0.5) / 32), lit - unlit, 1.0, "image " + i + " (" + y + ", " + x + ")");
                    }
    }

    /** Light from the left (90 degrees) brightens the left column and leaves the rows alike; 45 splits it. */
    @Test
    void lightAngleTurnsTheGradientTowardsTheColumns() {
        double light = 0.2;
        SyntheticSpec base = spec(40, 2, 0.3, 0.3, 0, 0.25, 0, 0.85, 1, 0);
        ImageSet dark = SyntheticShapes.generate(base, 32).train();
        for (double angle : new double[]{90, 45}) {
            SyntheticSpec lit = new SyntheticSpec(base.trainSize(), 0, base.seed(), 2, 0.3, 0.3, 0, 0.25, 0.0, 0,
                    0.85, 1, light, angle);
            ImageSet set = SyntheticShapes.generate(lit, 32).train();
            double down = Math.cos(Math.toRadians(angle)), right = Math.sin(Math.toRadians(angle));
            for (int i = 0; i < set.count(); i++)
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < 32; y += 31)
                        for (int x = 0; x < 32; x += 31) {
                            int v = set.pixel(i, c, y, x), unlit = dark.pixel(i, c, y, x);
                            if (v == 0 || v == 255) continue;
                            double want = 255 * light * (down * (0.5 - (y + 0.5) / 32) + right * (0.5 - (x + 0.5) / 32));
                            assertEquals(want, v - unlit, 1.0, "angle " + angle + ", image " + i + " (" + y + ", " + x + ")");
                        }
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SyntheticSpec(1, 0, 7, 2, 0.3, 0.5, 0, 0,
                0, 0, 0, 1, 0.2, 200)).getMessage().startsWith("data.synthetic.lightAngle: 200"));
        // angle 0 is the old light from above, to the bit
        assertEquals(SyntheticShapes.generate(spec(5, 2, 0.3, 0.3, 0.1, 0.25, 0, 0.85, 1, light), 32).train().pixel(3, 1, 7, 9),
                SyntheticShapes.generate(new SyntheticSpec(5, 0, 7, 2, 0.3, 0.3, 0.1, 0.25, 0.0, 0, 0.85, 1, light, 0),
                        32).train().pixel(3, 1, 7, 9));
    }

    /**
     * Value noise is flat at its lattice points (smoothstep has zero slope there). With the lattice fixed to
     * the image those are the same columns in every image, and the texture's strength would vary 4x from
     * column to column; random lattice offsets make every column equally textured.
     */
    @Test
    void backgroundTextureIsEquallyStrongInEveryColumn() {
        int size = 32, fields = 2000;
        double[] f = new double[size * size], lattice = new double[18 * 18], energy = new double[size - 1];
        SplittableRandom r = new SplittableRandom(11);
        for (int t = 0; t < fields; t++) {
            ValueNoise.field(size, r, f, lattice);
            for (int y = 0; y < size; y++)
                for (int x = 0; x + 1 < size; x++) {
                    double d = f[y * size + x + 1] - f[y * size + x];
                    energy[x] += d * d;
                }
        }
        double lo = Double.MAX_VALUE, hi = 0;
        for (int x = 2; x < size - 3; x++) {   // columns away from the border
            lo = Math.min(lo, energy[x]);
            hi = Math.max(hi, energy[x]);
        }
        assertTrue(hi / lo < 1.3, "squared neighbour difference varies " + hi / lo + "x across columns");
    }

    /** Mean colour of the pixels that differ from the image's most common (background) colour. */
    private static int[] objectColour(ImageSet set, int i) {
        int bg = modeColour(set, i);
        long[] sum = new long[3];
        int n = 0;
        for (int p = 0; p < 1024; p++) {
            int rgb = rgb(set, i, p);
            if (rgb == bg || !interior(set, i, p, rgb)) continue;
            for (int c = 0; c < 3; c++) sum[c] += set.pixel(i, c, p / 32, p % 32);
            n++;
        }
        assertTrue(n > 0, "image " + i + " has fully covered object pixels");
        return new int[]{(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
    }

    /** A pixel whose four neighbours have its colour: fully inside the object, no anti-aliased edge. */
    private static boolean interior(ImageSet set, int i, int p, int rgb) {
        int y = p / 32, x = p % 32;
        if (y == 0 || x == 0 || y == 31 || x == 31) return false;
        return rgb(set, i, p - 1) == rgb && rgb(set, i, p + 1) == rgb && rgb(set, i, p - 32) == rgb && rgb(set, i, p + 32) == rgb;
    }

    private static int objectPixels(ImageSet set, int i) {
        int bg = modeColour(set, i), n = 0;
        for (int p = 0; p < 1024; p++) if (rgb(set, i, p) != bg) n++;
        return n;
    }

    private static int modeColour(ImageSet set, int i) {
        Map<Integer, Integer> freq = new HashMap<>();
        for (int p = 0; p < 1024; p++) freq.merge(rgb(set, i, p), 1, Integer::sum);
        return freq.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static int rowMode(ImageSet set, int i, int c, int y) {
        int[] freq = new int[256];
        for (int x = 0; x < 32; x++) freq[set.pixel(i, c, y, x)]++;
        int best = 0;
        for (int v = 1; v < 256; v++) if (freq[v] > freq[best]) best = v;
        return best;
    }

    private static int rgb(ImageSet set, int i, int p) {
        return set.pixel(i, 0, p / 32, p % 32) << 16 | set.pixel(i, 1, p / 32, p % 32) << 8 | set.pixel(i, 2, p / 32, p % 32);
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
