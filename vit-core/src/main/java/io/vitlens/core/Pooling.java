package io.vitlens.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the final token sequence becomes one vector: the CLS token, or the mean of the patch tokens 1..N. */
public enum Pooling {
    CLS("cls"), MEAN("mean");

    private final String id;

    Pooling(String id) { this.id = id; }

    public String id() { return id; }

    public static Pooling parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (Pooling p : values()) if (p.id.equals(v)) return p;
        throw new IllegalArgumentException("unknown pooling '" + s + "'; known: "
                + Arrays.stream(values()).map(Pooling::id).collect(Collectors.joining(", ")));
    }

    @Override public String toString() { return id; }
}
