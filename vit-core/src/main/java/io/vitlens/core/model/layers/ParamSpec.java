package io.vitlens.core.model.layers;

import java.util.Arrays;

/**
 * One parameter of a hand-written layer: its key (DL4J splits gradient keys at the last '_', so keys
 * never contain one), its shape in the layer's own (timm) layout, and its role.
 *
 * @param key   parameter key inside the layer, e.g. {@code qkvW}
 * @param shape shape of the c-order view into the flattened parameters
 * @param role  what the parameter is: decides its initialisation and whether weight decay touches it
 */
public record ParamSpec(String key, long[] shape, Role role) {

    /** The kinds of parameters; only {@link #WEIGHT} is decayed (DL4J's {@code isWeightParam}). */
    public enum Role {
        /** a linear or patch-projection weight: trunc-normal(0.02), weight-decayed */
        WEIGHT,
        /** a linear bias: zeros, not decayed */
        BIAS,
        /** LayerNorm scale: ones, not decayed */
        NORM_GAIN,
        /** LayerNorm shift: zeros, not decayed */
        NORM_BIAS,
        /** CLS token and position tables: trunc-normal(0.02), not decayed */
        EMBEDDING
    }

    public ParamSpec {
        if (key == null || key.isEmpty() || key.indexOf('_') >= 0)
            throw new IllegalArgumentException("parameter key '" + key + "' must be non-empty and contain no '_'");
        shape = shape.clone();
    }

    public static ParamSpec of(String key, Role role, long... shape) {
        return new ParamSpec(key, shape, role);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long length() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && p.key.equals(key) && Arrays.equals(p.shape, shape) && p.role == role;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape) + "(" + role + ")";
    }
}
