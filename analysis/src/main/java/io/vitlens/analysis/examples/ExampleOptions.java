package io.vitlens.analysis.examples;

import java.util.List;

/**
 * Which per-image attention figures the report draws.
 *
 * @param count      example images: the first {@code count} images of the split (indices 0..count-1, fixed so
 *                   runs compare image for image); 0 = none
 * @param queryPatch the query patch of the per-head maps (t = r * g + c), or null for the centre patch
 *                   (row g / 2, column g / 2)
 * @param fusions    head fusions of the rollout, in the order drawn
 */
public record ExampleOptions(int count, Integer queryPatch, List<HeadFusion> fusions) {

    public ExampleOptions {
        if (count < 0) throw new IllegalArgumentException("example images: " + count + " is negative");
        if (queryPatch != null && queryPatch < 0)
            throw new IllegalArgumentException("query patch: " + queryPatch + " is negative");
        fusions = fusions == null || fusions.isEmpty() ? List.of(HeadFusion.values()) : List.copyOf(fusions);
    }

    public static ExampleOptions none() { return new ExampleOptions(0, null, null); }

    public static ExampleOptions of(int count) { return new ExampleOptions(count, null, null); }

    /** The query patch on a g x g grid; fails loudly when it is off the grid. */
    public int queryPatch(int g) {
        int q = queryPatch == null ? (g / 2) * g + g / 2 : queryPatch;
        if (q >= g * g)
            throw new IllegalArgumentException("query patch " + q + " is off the " + g + "x" + g + " grid (0.." + (g * g - 1) + ")");
        return q;
    }
}
