package io.vitlens.data.synthetic;

import io.vitlens.data.ImageSet;
import io.vitlens.data.RawDataset;
import io.vitlens.data.Seeds;
import io.vitlens.data.SyntheticSpec;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates {@code synthetic-shapes}: RGB images [3, S, S], each one object of class
 * {@code i % numClasses} (so classes are balanced to within one image, in any prefix too) at a random
 * position, scale, rotation and colour over a 1/f-noise background, plus Gaussian pixel noise.
 *
 * <p>Image i of a split is a pure function of (spec.seed, split, i): generation runs in parallel and is
 * still byte-identical for a given seed; only integer arithmetic, IEEE-exact operations and
 * {@link StrictMath} feed the pixels.
 */
public final class SyntheticShapes {
    /** Samples per pixel side for anti-aliased edges (3 x 3 = 9 per pixel). */
    static final int SUPERSAMPLE = 3;
    private static final long TRAIN_STREAM = 0x7A1L;
    private static final long TEST_STREAM = 0x7E57L;
    /** Largest per-channel offset from the class's typical colour when the colour cue applies. */
    static final double CUE_JITTER = 0.08;

    private SyntheticShapes() {}

    public static List<String> classNames(int numClasses) {
        return Arrays.stream(ShapeClass.values()).limit(numClasses).map(ShapeClass::label).toList();
    }

    public static RawDataset generate(SyntheticSpec spec, int size) {
        ImageSet train = split(spec, size, spec.trainSize(), TRAIN_STREAM);
        ImageSet test = split(spec, size, spec.testSize(), TEST_STREAM);
        return new RawDataset("synthetic-shapes", classNames(spec.numClasses()), train, test, 0);
    }

    private static ImageSet split(SyntheticSpec spec, int size, int count, long stream) {
        int per = 3 * size * size;
        byte[] pixels = new byte[count * per];
        int[] labels = new int[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            labels[i] = i % spec.numClasses();
            render(spec, size, ShapeClass.values()[labels[i]], Seeds.random(spec.seed(), stream, i), pixels, i * per);
        });
        return new ImageSet(pixels, labels, 3, size);
    }

    /** Draws one image into {@code out[off .. off + 3*S*S)}. */
    static void render(SyntheticSpec spec, int size, ShapeClass cls, SplittableRandom r, byte[] out, int off) {
        int plane = size * size;
        double[] img = new double[3 * plane];   // [3, S, S] in [0, 1]
        background(spec, size, r, img);

        double[] bgMean = new double[3];
        for (int c = 0; c < 3; c++) bgMean[c] = mean(img, c * plane, plane);
        double[] colour = objectColour(spec, cls, bgMean, r);

        for (int k = 0; k < spec.objectsPerImage(); k++) {
            double diameter = size * (spec.minScale() + (spec.maxScale() - spec.minScale()) * r.nextDouble());
            double radius = diameter / 2;
            // the centre keeps edgeMargin radii from the border (negative: may lie outside the image)
            double margin = Math.min(size / 2.0, spec.edgeMargin() * radius);
            double cx = margin + (size - 2 * margin) * r.nextDouble();
            double cy = margin + (size - 2 * margin) * r.nextDouble();
            ShapeClass.Shape shape = cls.sample(r);
            paint(img, size, shape, cx, cy, radius, colour);
        }
        light(spec.lightGradient(), spec.lightAngle(), size, img);

        double sigma = spec.pixelNoise();
        for (int p = 0; p < img.length; p++) {
            double v = img[p] + sigma * gaussianish(r);
            long q = Math.round(255 * Math.max(0, Math.min(1, v)));
            out[off + p] = (byte) q;
        }
    }

    /** Mean colour in [0.15, 0.85] per channel plus a shared (luminance) and a per-channel 1/f field. */
    private static void background(SyntheticSpec spec, int size, SplittableRandom r, double[] img) {
        int plane = size * size;
        int cells = Math.max(1, size / 2) + 2;   // ValueNoise's lattice side for its finest octave
        double[] lattice = new double[cells * cells];
        double[] shared = new double[plane];
        double[] own = new double[plane];
        ValueNoise.field(size, r, shared, lattice);
        double k = spec.backgroundContrast() / Math.sqrt(1 + 0.5 * 0.5);   // keeps each channel's std at the knob
        for (int c = 0; c < 3; c++) {
            double base = 0.15 + 0.7 * r.nextDouble();
            ValueNoise.field(size, r, own, lattice);
            for (int p = 0; p < plane; p++) img[c * plane + p] = base + k * (shared[p] + 0.5 * own[p]);
        }
    }

    /**
     * Lights the whole scene (background and objects) from the direction {@code angleDeg} (0 above, 90 left):
     * +light/2 at the edge facing the light falling linearly to -light/2 at the opposite one (a diagonal
     * light splits this between rows and columns), the same in every image, so it draws no random number.
     */
    private static void light(double light, double angleDeg, int size, double[] img) {
        if (light == 0) return;
        int plane = size * size;
        // brightness falls linearly along the light's direction: (down, right) components (cos a, sin a)
        double down = Math.cos(Math.toRadians(angleDeg)), right = Math.sin(Math.toRadians(angleDeg));
        if (Math.abs(right) < 1e-12) right = 0;   // exactly the row-only gradient at 0 and 180 degrees
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                double shift = light * (down * (0.5 - (y + 0.5) / size) + right * (0.5 - (x + 0.5) / size));
                for (int c = 0; c < 3; c++) img[c * plane + y * size + x] += shift;
            }
    }

    /**
     * A colour at least {@code minContrast} away in luminance from the background mean: with probability
     * {@code colourCue} the class's typical colour jittered by up to {@link #CUE_JITTER} per channel, else
     * uniformly random. With no cue no extra random number is drawn, so cue-free datasets stay as they were.
     */
    private static double[] objectColour(SyntheticSpec spec, ShapeClass cls, double[] bg, SplittableRandom r) {
        double[] col;
        if (spec.colourCue() > 0 && r.nextDouble() < spec.colourCue()) {
            col = cls.typicalColour();
            for (int c = 0; c < 3; c++) col[c] = Math.max(0, Math.min(1, col[c] + CUE_JITTER * (2 * r.nextDouble() - 1)));
        } else {
            col = new double[]{r.nextDouble(), r.nextDouble(), r.nextDouble()};
        }
        double diff = luma(col) - luma(bg);
        double dir = luma(bg) < 0.5 ? 1 : -1;   // towards the side with more room
        if (Math.abs(diff) < spec.minContrast()) {   // luma weights sum to 1: a uniform shift moves luma by shift
            double shift = dir * spec.minContrast() - diff;
            for (int c = 0; c < 3; c++) col[c] = Math.max(0, Math.min(1, col[c] + shift));
        }
        return col;
    }

    /** Composites the object with coverage = fraction of the 3x3 sub-samples inside the mask. */
    private static void paint(double[] img, int size, ShapeClass.Shape shape, double cx, double cy, double radius,
                              double[] colour) {
        int plane = size * size;
        double cos = StrictMath.cos(shape.rotation()), sin = StrictMath.sin(shape.rotation());
        int x0 = Math.max(0, (int) Math.floor(cx - radius)), x1 = Math.min(size - 1, (int) Math.ceil(cx + radius));
        int y0 = Math.max(0, (int) Math.floor(cy - radius)), y1 = Math.min(size - 1, (int) Math.ceil(cy + radius));
        double inv = 1 / radius;
        int samples = SUPERSAMPLE * SUPERSAMPLE;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                int hits = 0;
                for (int sy = 0; sy < SUPERSAMPLE; sy++)
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        double dx = x + (sx + 0.5) / SUPERSAMPLE - cx, dy = y + (sy + 0.5) / SUPERSAMPLE - cy;
                        // into the object frame: rotate by -rotation, scale to the unit disc
                        double u = (cos * dx + sin * dy) * inv, v = (-sin * dx + cos * dy) * inv;
                        if (shape.mask().inside(u, v)) hits++;
                    }
                if (hits == 0) continue;
                double a = (double) hits / samples;
                int p = y * size + x;
                for (int c = 0; c < 3; c++) img[c * plane + p] = (1 - a) * img[c * plane + p] + a * colour[c];
            }
    }

    /**
     * Approximately standard normal: the centred sum of four uniforms scaled to unit variance (Irwin-Hall).
     * Pixel noise needs no tails and this costs no transcendental function per pixel.
     */
    private static double gaussianish(SplittableRandom r) {
        return (r.nextDouble() + r.nextDouble() + r.nextDouble() + r.nextDouble() - 2) * 1.7320508075688772;
    }

    private static double mean(double[] v, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) s += v[i];
        return s / n;
    }

    private static double luma(double[] rgb) {
        return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    }
}
