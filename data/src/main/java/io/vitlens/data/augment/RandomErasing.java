package io.vitlens.data.augment;

import java.util.SplittableRandom;

/**
 * Random erasing (Zhong et al. 2020, "Random Erasing Data Augmentation"), as timm's {@code RandomErasing}
 * with {@code mode='pixel'} and one rectangle: with probability p, one rectangle of area fraction
 * U(0.02, 1/3) and aspect ratio (height / width) log-uniform in [0.3, 1/0.3] is placed uniformly in the
 * image and every value in it, in every channel, is replaced by N(0, 1) noise. It runs on the normalised
 * image, where N(0, 1) has the data's own per-channel mean and spread, so the patch carries no colour cue.
 * Like timm, a rectangle that does not fit is redrawn up to 10 times, then the image is left as it is.
 * StrictMath throughout: the same generator state gives the same pixels on every JVM.
 */
public final class RandomErasing {
    public static final double MIN_AREA = 0.02;
    public static final double MAX_AREA = 1.0 / 3;
    public static final double MIN_ASPECT = 0.3;
    public static final double MAX_ASPECT = 1 / MIN_ASPECT;
    private static final int ATTEMPTS = 10;

    /** The erased rectangle: rows [top, top + height), columns [left, left + width). */
    public record Box(int top, int left, int height, int width) {}

    private final double probability;
    private final int channels;
    private final int size;

    public RandomErasing(double probability, int channels, int size) {
        this.probability = probability;
        this.channels = channels;
        this.size = size;
    }

    /**
     * Erases at most one rectangle of the normalised image {@code features[offset .. offset + C*S*S)} in
     * place. Draws nothing from {@code r} when the probability is 0. Returns the erased box, or null.
     */
    public Box apply(float[] features, int offset, SplittableRandom r) {
        if (probability <= 0 || r.nextDouble() >= probability) return null;
        Box box = box(size, r);
        if (box == null) return null;
        int plane = size * size;
        for (int c = 0; c < channels; c++)
            for (int y = box.top(); y < box.top() + box.height(); y++) {
                int row = offset + c * plane + y * size;
                for (int x = box.left(); x < box.left() + box.width(); x++) features[row + x] = (float) BetaSampler.gaussian(r);
            }
        return box;
    }

    /** timm's rectangle draw for an S x S image; null when 10 draws did not fit. */
    static Box box(int size, SplittableRandom r) {
        double area = (double) size * size;
        double logMin = StrictMath.log(MIN_ASPECT), logMax = StrictMath.log(MAX_ASPECT);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = (MIN_AREA + (MAX_AREA - MIN_AREA) * r.nextDouble()) * area;
            double aspect = StrictMath.exp(logMin + (logMax - logMin) * r.nextDouble());
            int h = (int) StrictMath.round(StrictMath.sqrt(target * aspect));
            int w = (int) StrictMath.round(StrictMath.sqrt(target / aspect));
            if (h > 0 && w > 0 && h < size && w < size)
                return new Box(r.nextInt(size - h + 1), r.nextInt(size - w + 1), h, w);
        }
        return null;
    }
}
