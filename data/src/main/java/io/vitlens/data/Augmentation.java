package io.vitlens.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vitlens.core.InvalidFieldException;

/**
 * Training-time augmentation, applied per batch on the loader's background thread and never at
 * evaluation. The order is the one of the DeiT/timm CIFAR recipes: random crop (zero padding) ->
 * horizontal flip -> RandAugment, all on uint8 pixels, then normalisation, then random erasing per
 * normalised image, then mixup or cutmix on the normalised batch (which turns the one-hot labels into
 * soft labels that still sum to 1).
 *
 * @param cropPadding          pixels of zero padding on each side before a random crop back to the
 *                             image size; 0 disables cropping (torchvision RandomCrop(S, padding))
 * @param horizontalFlip       mirror left-right with probability 1/2
 * @param randAugment          apply {@code randAugmentOps} RandAugment operations per image
 *                             (Cubuk et al. 2020, "RandAugment", Sec. 3)
 * @param randAugmentOps       N of RandAugment: operations drawn per image (uniformly, with repetition)
 * @param randAugmentMagnitude M of RandAugment on timm's 0..10 scale (level = M/10)
 * @param mixupAlpha           Beta(alpha, alpha) for mixup (Zhang et al. 2018); 0 disables
 * @param cutmixAlpha          Beta(alpha, alpha) for cutmix (Yun et al. 2019); 0 disables
 * @param mixProb              probability that a batch is mixed at all; when both mixup and cutmix
 *                             are enabled a mixed batch uses either with probability 1/2 (timm's
 *                             {@code switch_prob} default)
 * @param randomErasing        probability that an image gets one rectangle of N(0, 1) noise after
 *                             normalisation (timm's RandomErasing, mode 'pixel'; {@link
 *                             io.vitlens.data.augment.RandomErasing}); 0 disables. Its randomness is a stream
 *                             of its own, so switching it on changes no crop, flip or mix of the run
 */
public record Augmentation(int cropPadding, boolean horizontalFlip, boolean randAugment, int randAugmentOps,
                           int randAugmentMagnitude, double mixupAlpha, double cutmixAlpha, double mixProb,
                           double randomErasing) {

    /** RandAugment N of {@link #none()}, so also when a YAML file enables RandAugment without naming it (timm's rand-m9-n2). */
    public static final int DEFAULT_RAND_AUGMENT_OPS = 2;
    /** RandAugment M when a YAML file enables RandAugment without naming it. */
    public static final int DEFAULT_RAND_AUGMENT_MAGNITUDE = 9;
    /** Largest magnitude of the timm scale. */
    public static final int MAX_MAGNITUDE = 10;

    /** Where a config file keeps these fields; messages name them as {@code augmentation.<component>}. */
    private static final String SECTION = "augmentation";

    public Augmentation {
        if (cropPadding < 0)
            throw InvalidFieldException.of(SECTION, "cropPadding", cropPadding + " must be >= 0");
        if (randAugmentOps < 0)
            throw InvalidFieldException.of(SECTION, "randAugmentOps", randAugmentOps + " must be >= 0");
        if (randAugment && randAugmentOps == 0)
            throw new InvalidFieldException(SECTION, "randAugmentOps", k -> k.apply("randAugmentOps") + ": 0 with "
                    + k.apply("randAugment") + "=true would apply nothing; set it >= 1");
        if (randAugmentMagnitude < 0 || randAugmentMagnitude > MAX_MAGNITUDE)
            throw InvalidFieldException.of(SECTION, "randAugmentMagnitude", randAugmentMagnitude
                    + " is outside 0.." + MAX_MAGNITUDE + " (timm's magnitude scale)");
        if (!(mixupAlpha >= 0) || Double.isInfinite(mixupAlpha))
            throw InvalidFieldException.of(SECTION, "mixupAlpha", mixupAlpha + " must be a finite value >= 0");
        if (!(cutmixAlpha >= 0) || Double.isInfinite(cutmixAlpha))
            throw InvalidFieldException.of(SECTION, "cutmixAlpha", cutmixAlpha + " must be a finite value >= 0");
        if (!(mixProb >= 0 && mixProb <= 1))
            throw InvalidFieldException.of(SECTION, "mixProb", mixProb + " is outside [0, 1]");
        if ((mixupAlpha > 0 || cutmixAlpha > 0) && mixProb == 0)
            throw new InvalidFieldException(SECTION, "mixProb", k -> k.apply("mixProb") + ": 0 with "
                    + k.apply("mixupAlpha") + "=" + mixupAlpha + ", " + k.apply("cutmixAlpha") + "=" + cutmixAlpha
                    + " would never mix; set it in (0, 1] or set both alphas to 0");
        if (!(randomErasing >= 0 && randomErasing <= 1))
            throw InvalidFieldException.of(SECTION, "randomErasing", randomErasing
                    + " is outside [0, 1] (the probability that an image gets one erased rectangle; 0 = off)");
    }

    /** Without random erasing (the fields before it existed). */
    public Augmentation(int cropPadding, boolean horizontalFlip, boolean randAugment, int randAugmentOps,
                        int randAugmentMagnitude, double mixupAlpha, double cutmixAlpha, double mixProb) {
        this(cropPadding, horizontalFlip, randAugment, randAugmentOps, randAugmentMagnitude, mixupAlpha, cutmixAlpha,
                mixProb, 0);
    }

    /**
     * Jackson entry point: a YAML block may leave fields out. Missing switches are off; missing
     * RandAugment N/M take timm's defaults (2, 9) and a missing mixProb is 1, so that
     * {@code mixupAlpha: 0.8} alone means "mixup on every batch".
     */
    @JsonCreator
    public static Augmentation of(@JsonProperty("cropPadding") Integer cropPadding,
                                  @JsonProperty("horizontalFlip") Boolean horizontalFlip,
                                  @JsonProperty("randAugment") Boolean randAugment,
                                  @JsonProperty("randAugmentOps") Integer randAugmentOps,
                                  @JsonProperty("randAugmentMagnitude") Integer randAugmentMagnitude,
                                  @JsonProperty("mixupAlpha") Double mixupAlpha,
                                  @JsonProperty("cutmixAlpha") Double cutmixAlpha,
                                  @JsonProperty("mixProb") Double mixProb,
                                  @JsonProperty("randomErasing") Double randomErasing) {
        return new Augmentation(cropPadding == null ? 0 : cropPadding,
                horizontalFlip != null && horizontalFlip,
                randAugment != null && randAugment,
                randAugmentOps == null ? DEFAULT_RAND_AUGMENT_OPS : randAugmentOps,
                randAugmentMagnitude == null ? DEFAULT_RAND_AUGMENT_MAGNITUDE : randAugmentMagnitude,
                mixupAlpha == null ? 0 : mixupAlpha,
                cutmixAlpha == null ? 0 : cutmixAlpha,
                mixProb == null ? 1 : mixProb,
                randomErasing == null ? 0 : randomErasing);
    }

    /** No augmentation at all: the training batches are the (shuffled) images as stored. */
    public static Augmentation none() {
        return new Augmentation(0, false, false, DEFAULT_RAND_AUGMENT_OPS, DEFAULT_RAND_AUGMENT_MAGNITUDE, 0, 0, 1);
    }

    /** The usual CIFAR baseline: 4-pixel padded random crop and horizontal flip. */
    public static Augmentation cropFlip(int padding) {
        return new Augmentation(padding, true, false, DEFAULT_RAND_AUGMENT_OPS, DEFAULT_RAND_AUGMENT_MAGNITUDE, 0, 0, 1);
    }

    /** Whether any pixel-level (per image, before normalisation) operation is enabled. */
    public boolean anyPixelOp() {
        return cropPadding > 0 || horizontalFlip || randAugment;
    }

    /** Whether some images may get a rectangle erased. */
    public boolean anyErasing() {
        return randomErasing > 0;
    }

    /** Whether mixup or cutmix may be applied to a batch. */
    public boolean anyMix() {
        return mixupAlpha > 0 || cutmixAlpha > 0;
    }
}
