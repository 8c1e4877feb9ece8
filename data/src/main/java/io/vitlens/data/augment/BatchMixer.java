package io.vitlens.data.augment;

import io.vitlens.data.Augmentation;

import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) on a normalised batch, timm's "batch" mode:
 * image i is mixed with image B-1-i (the batch flipped), with one lambda ~ Beta(alpha, alpha) per
 * batch. Labels become lambda * y_i + (1 - lambda) * y_partner, so every row still sums to 1. For
 * CutMix lambda is corrected to the pasted box's true area, as in timm's {@code cutmix_bbox_and_lam}.
 */
public final class BatchMixer {
    /** What was done to a batch, for tests and logging. */
    public enum Kind { NONE, MIXUP, CUTMIX }

    /** @param lambda weight of each image's own content and label */
    public record Result(Kind kind, double lambda) {}

    private final Augmentation aug;

    public BatchMixer(Augmentation aug) {
        this.aug = aug;
    }

    /**
     * Mixes {@code features} [B, C, S, S] and {@code labels} [B, K] in place, or leaves them alone
     * with probability 1 - mixProb.
     */
    public Result apply(float[] features, float[] labels, int batch, int channels, int size, int classes, SplittableRandom r) {
        if (!aug.anyMix() || r.nextDouble() >= aug.mixProb()) return new Result(Kind.NONE, 1);
        boolean cut = aug.cutmixAlpha() > 0 && (aug.mixupAlpha() == 0 || r.nextBoolean());
        if (cut) {
            double lam = BetaSampler.symmetric(aug.cutmixAlpha(), r);
            double cutRatio = Math.sqrt(1 - lam);
            int cutH = (int) (size * cutRatio), cutW = (int) (size * cutRatio);
            int cy = r.nextInt(size), cx = r.nextInt(size);
            int y0 = clip(cy - cutH / 2, size), y1 = clip(cy + cutH / 2, size);
            int x0 = clip(cx - cutW / 2, size), x1 = clip(cx + cutW / 2, size);
            double actual = 1 - (double) (y1 - y0) * (x1 - x0) / (size * size);
            cutmix(features, labels, batch, channels, size, classes, x0, y0, x1, y1, actual);
            return new Result(Kind.CUTMIX, actual);
        }
        double lam = BetaSampler.symmetric(aug.mixupAlpha(), r);
        mixup(features, labels, batch, channels * size * size, classes, lam);
        return new Result(Kind.MIXUP, lam);
    }

    /** x_i = lam x_i + (1-lam) x_{B-1-i}, same for labels; pairs are updated together, no copy needed. */
    public static void mixup(float[] features, float[] labels, int batch, int imageLen, int classes, double lam) {
        float a = (float) lam, b = (float) (1 - lam);
        for (int i = 0, j = batch - 1; i < j; i++, j--) {
            blendPair(features, i * imageLen, j * imageLen, imageLen, a, b);
            blendPair(labels, i * classes, j * classes, classes, a, b);
        }
    }

    /**
     * Swaps the box [y0, y1) x [x0, x1) between images i and B-1-i and blends their labels with
     * {@code lam}, the fraction of each image that is still its own.
     */
    public static void cutmix(float[] features, float[] labels, int batch, int channels, int size, int classes,
                              int x0, int y0, int x1, int y1, double lam) {
        int imageLen = channels * size * size;
        float a = (float) lam, b = (float) (1 - lam);
        for (int i = 0, j = batch - 1; i < j; i++, j--) {
            for (int c = 0; c < channels; c++)
                for (int y = y0; y < y1; y++) {
                    int rowI = i * imageLen + (c * size + y) * size, rowJ = j * imageLen + (c * size + y) * size;
                    for (int x = x0; x < x1; x++) {
                        float t = features[rowI + x];
                        features[rowI + x] = features[rowJ + x];
                        features[rowJ + x] = t;
                    }
                }
            blendPair(labels, i * classes, j * classes, classes, a, b);
        }
    }

    private static void blendPair(float[] v, int i, int j, int len, float a, float b) {
        for (int k = 0; k < len; k++) {
            float p = v[i + k], q = v[j + k];
            v[i + k] = a * p + b * q;
            v[j + k] = a * q + b * p;
        }
    }

    private static int clip(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }
}
