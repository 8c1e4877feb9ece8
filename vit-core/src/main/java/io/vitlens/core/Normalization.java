package io.vitlens.core;

import java.util.Arrays;
import java.util.List;

/**
 * What a model needs besides its weights to be used on raw images: the per-channel mean/std of
 * the (x/255 - mean) / std input normalisation, and the class names. Stored with every checkpoint
 * and in the safetensors {@code __metadata__}.
 */
public record Normalization(float[] mean, float[] std, List<String> classNames) {
    public Normalization {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("normalization: mean and std must be non-empty and of equal length, got "
                    + Arrays.toString(mean) + " / " + Arrays.toString(std));
        for (int c = 0; c < std.length; c++)
            if (!(std[c] > 0)) throw new IllegalArgumentException("normalization.std[" + c + "]: " + std[c] + " is not > 0");
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** mean 0, std 1: the inputs are used as given (after /255). */
    public static Normalization identity(int channels, List<String> classNames) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(s, 1f);
        return new Normalization(m, s, classNames);
    }
}
