package io.vitlens.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Position-embedding variants of docs/model-spec.md step 3. */
public enum PosEmbedding {
    /** One learnable vector per token, CLS included: pos_embed [1, N+1, D]. */
    LEARNED("learned"),
    /** Learnable row table [g, D] plus column table [g, D]; the CLS keeps its own vector. */
    LEARNED_2D("learned-2d"),
    /** Fixed 2D sine-cosine table, not trained. */
    SINCOS_2D("sincos2d"),
    /** No position information at all. */
    NONE("none");

    private final String id;

    PosEmbedding(String id) { this.id = id; }

    public String id() { return id; }

    /** Parses the YAML / metadata spelling; {@code learned-1d} is an alias of {@code learned}. */
    public static PosEmbedding parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("learned-1d")) return LEARNED;
        for (PosEmbedding p : values()) if (p.id.equals(v)) return p;
        throw new IllegalArgumentException("unknown position embedding '" + s + "'; known: "
                + Arrays.stream(values()).map(PosEmbedding::id).collect(Collectors.joining(", ")) + ", learned-1d");
    }

    @Override public String toString() { return id; }
}
