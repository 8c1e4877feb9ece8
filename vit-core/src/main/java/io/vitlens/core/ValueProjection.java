package io.vitlens.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Ablation of claim C11: the value projection is learned (default) or the identity (V = LN1(x)). */
public enum ValueProjection {
    LEARNED("learned"), IDENTITY("identity");

    private final String id;

    ValueProjection(String id) { this.id = id; }

    public String id() { return id; }

    public static ValueProjection parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (ValueProjection p : values()) if (p.id.equals(v)) return p;
        throw new IllegalArgumentException("unknown value projection '" + s + "'; known: "
                + Arrays.stream(values()).map(ValueProjection::id).collect(Collectors.joining(", ")));
    }

    @Override public String toString() { return id; }
}
