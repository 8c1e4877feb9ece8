package io.vitlens.data.augment;

import io.vitlens.data.Augmentation;

import java.util.SplittableRandom;

/**
 * Applies the per-image part of an {@link Augmentation} to a uint8 image [C, S, S] in place: random
 * padded crop, horizontal flip, then RandAugment. Every random choice comes from the generator passed
 * in, so the result is a function of (image, generator state). Holds scratch buffers: one instance per
 * thread.
 */
public final class PixelAugmenter {
    private static final RandAugmentOp[] OPS = RandAugmentOp.values();

    private final Augmentation aug;
    private final int channels;
    private final int size;
    private final byte[] scratch;

    public PixelAugmenter(Augmentation aug, int channels, int size) {
        this.aug = aug;
        this.channels = channels;
        this.size = size;
        this.scratch = new byte[channels * size * size];
    }

    /** Augments {@code img} (length C*S*S) in place. */
    public void apply(byte[] img, SplittableRandom r) {
        int pad = aug.cropPadding();
        if (pad > 0) {
            int ox = r.nextInt(2 * pad + 1), oy = r.nextInt(2 * pad + 1);
            CropFlip.crop(img, scratch, channels, size, pad, ox, oy);
            System.arraycopy(scratch, 0, img, 0, img.length);
        }
        if (aug.horizontalFlip() && r.nextBoolean()) CropFlip.flipHorizontal(img, channels, size);
        if (aug.randAugment()) {
            double level = aug.randAugmentMagnitude() / (double) Augmentation.MAX_MAGNITUDE;
            for (int n = 0; n < aug.randAugmentOps(); n++) {
                RandAugmentOp op = OPS[r.nextInt(OPS.length)];
                double sign = r.nextBoolean() ? 1 : -1;
                apply(op, level, sign, img);
            }
        }
    }

    /** One RandAugment operation at {@code level} in [0, 1]; {@code sign} is +-1 for the signed ones. */
    public void apply(RandAugmentOp op, double level, double sign, byte[] img) {
        double enhance = 1 + RandAugmentOp.MAX_ENHANCE * level * sign;
        switch (op) {
            case AUTO_CONTRAST -> PixelOps.autoContrast(img, channels, size);
            case EQUALIZE -> PixelOps.equalize(img, channels, size);
            case INVERT -> PixelOps.invert(img);
            case ROTATE -> {
                double t = Math.toRadians(RandAugmentOp.MAX_ROTATE_DEG * level * sign);
                double cos = StrictMath.cos(t), sin = StrictMath.sin(t);   // StrictMath: bit-identical batches everywhere
                PixelOps.affine(img, scratch, channels, size, cos, -sin, 0, sin, cos, 0);
            }
            case POSTERIZE -> PixelOps.posterize(img, 8 - (int) (4 * level));
            case SOLARIZE -> PixelOps.solarize(img, (int) Math.round(256 - 256 * level));
            case SOLARIZE_ADD -> PixelOps.solarizeAdd(img, (int) Math.round(RandAugmentOp.MAX_SOLARIZE_ADD * level));
            case COLOR -> PixelOps.color(img, channels, size, enhance);
            case CONTRAST -> PixelOps.contrast(img, channels, size, enhance);
            case BRIGHTNESS -> PixelOps.brightness(img, enhance);
            case SHARPNESS -> PixelOps.sharpness(img, scratch, channels, size, enhance);
            case SHEAR_X -> PixelOps.affine(img, scratch, channels, size, 1, RandAugmentOp.MAX_SHEAR * level * sign, 0, 0, 1, 0);
            case SHEAR_Y -> PixelOps.affine(img, scratch, channels, size, 1, 0, 0, RandAugmentOp.MAX_SHEAR * level * sign, 1, 0);
            case TRANSLATE_X -> PixelOps.affine(img, scratch, channels, size, 1, 0,
                    RandAugmentOp.MAX_TRANSLATE * size * level * sign, 0, 1, 0);
            case TRANSLATE_Y -> PixelOps.affine(img, scratch, channels, size, 1, 0, 0, 0, 1,
                    RandAugmentOp.MAX_TRANSLATE * size * level * sign);
        }
    }
}
