package io.vitlens.analysis.examples;

import java.util.List;

/**
 * Which per-image attention figures the report draws.
 *
 * @param count      example images: the first {@code count} images of the split (indices 0..count-1, fixed so
 *                   runs compare image for image); 0 = none
 * @param queryRow   grid row of the query patch of the per-head maps, or null for the centre (g / 2)
 * @param queryColumn its grid column, or null for the centre (g / 2)
 * @param fusions    head fusions of the rollout, in the order drawn
 */
public record ExampleOptions(int count, Integer queryRow, Integer queryColumn, List<HeadFusion> fusions) {

    public ExampleOptions {
        if (count < 0) throw new IllegalArgumentException("example images: " + count + " is negative");
        if (queryRow != null && queryRow < 0) throw new IllegalArgumentException("query patch row: " + queryRow + " is negative");
        if (queryColumn != null && queryColumn < 0)
            throw new IllegalArgumentException("query patch column: " + queryColumn + " is negative");
        fusions = fusions == null || fusions.isEmpty() ? List.of(HeadFusion.values()) : List.copyOf(fusions);
    }

    public static ExampleOptions none() { return new ExampleOptions(0, null, null, null); }

    public static ExampleOptions of(int count) { return new ExampleOptions(count, null, null, null); }

    /** The query patch t = r * g + c on a g x g grid; fails loudly when it is off the grid. */
    public int queryPatch(int g) {
        int r = queryRow == null ? g / 2 : queryRow, c = queryColumn == null ? g / 2 : queryColumn;
        if (r >= g || c >= g)
            throw new IllegalArgumentException("query patch (" + r + ", " + c + ") is off the " + g + "x" + g
                    + " grid (rows and columns 0.." + (g - 1) + ")");
        return r * g + c;
    }
}
