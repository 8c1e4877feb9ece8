package io.vitlens.analysis.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How attention rollout merges a layer's heads into one map before the residual step
 * (jacobgil/vit-explain offers the same three: mean is Abnar and Zuidema's choice, max and min
 * are the popular variants).
 */
public enum HeadFusion {
    MEAN("mean"), MAX("max"), MIN("min");

    private final String id;

    HeadFusion(String id) { this.id = id; }

    public String id() { return id; }

    public static HeadFusion parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (HeadFusion f : values()) if (f.id.equals(v)) return f;
        throw new IllegalArgumentException("unknown head fusion '" + s + "'; known: "
                + Arrays.stream(values()).map(HeadFusion::id).collect(Collectors.joining(", ")));
    }

    /** A comma-separated list such as {@code mean,max}; duplicates are dropped, order kept. */
    public static List<HeadFusion> parseList(String s) {
        List<HeadFusion> out = new ArrayList<>();
        for (String part : (s == null ? "" : s).split(",")) {
            if (part.isBlank()) continue;
            HeadFusion f = parse(part);
            if (!out.contains(f)) out.add(f);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("head fusion: none given; known: mean, max, min");
        return out;
    }

    @Override public String toString() { return id; }
}
