package io.vitlens.data.augment;

/**
 * The RandAugment operation list of timm's {@code _RAND_TRANSFORMS} (Cubuk et al. 2020, Table 1),
 * each with the magnitude mapping of timm's "increasing" variants: {@code level} = M/10 in [0, 1],
 * {@code signed} picks the direction of the signed operations.
 */
public enum RandAugmentOp {
    AUTO_CONTRAST, EQUALIZE, INVERT, ROTATE, POSTERIZE, SOLARIZE, SOLARIZE_ADD, COLOR, CONTRAST, BRIGHTNESS,
    SHARPNESS, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y;

    /** Degrees of rotation at level 1 (timm: 30). */
    static final double MAX_ROTATE_DEG = 30;
    /** Shear factor at level 1 (timm: 0.3). */
    static final double MAX_SHEAR = 0.3;
    /** Translation, as a fraction of the side, at level 1 (timm translate_pct: 0.45). */
    static final double MAX_TRANSLATE = 0.45;
    /** Enhancement factor deviation from 1 at level 1 (timm: factor in [0.1, 1.9]). */
    static final double MAX_ENHANCE = 0.9;
    /** Value added below 128 at level 1 (timm solarize_add: 110). */
    static final int MAX_SOLARIZE_ADD = 110;
}
