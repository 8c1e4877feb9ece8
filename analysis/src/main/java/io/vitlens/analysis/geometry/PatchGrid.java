package io.vitlens.analysis.geometry;

/**
 * The g x g patch grid of a ViT: patch t (0-based, CLS excluded) sits at row r = t / g, column
 * c = t % g (model-spec.md step 1, row-major). Distances are Euclidean in patch units unless a
 * method says pixels (grid distance x P), as claims.md fixes.
 *
 * <p>Offsets are always "key minus query": for query patch i and key patch j,
 * (dr, dc) = (r_j - r_i, c_j - c_i), so (0, 1) is the right-hand neighbour of the query.
 */
public final class PatchGrid {

    private final int side;
    private final int patchSize;

    /**
     * @param side      g, the number of patches along one side
     * @param patchSize P, pixels per patch side (only used for pixel distances)
     */
    public PatchGrid(int side, int patchSize) {
        if (side < 1) throw new IllegalArgumentException("grid side: " + side + " is not a positive integer");
        if (patchSize < 1) throw new IllegalArgumentException("patch size: " + patchSize + " is not a positive integer");
        this.side = side;
        this.patchSize = patchSize;
    }

    /** g. */
    public int side() { return side; }

    /** P. */
    public int patchSize() { return patchSize; }

    /** N = g * g. */
    public int patches() { return side * side; }

    public int row(int patch) { return patch / side; }

    public int col(int patch) { return patch % side; }

    /** Squared Euclidean grid distance, an exact integer, so equal distances compare equal. */
    public int squaredDistance(int i, int j) {
        int dr = row(j) - row(i);
        int dc = col(j) - col(i);
        return dr * dr + dc * dc;
    }

    /** Euclidean grid distance in patch units. */
    public double distance(int i, int j) { return Math.sqrt(squaredDistance(i, j)); }

    /** Chebyshev grid distance: 1 for all eight neighbours. */
    public int chebyshev(int i, int j) {
        return Math.max(Math.abs(row(j) - row(i)), Math.abs(col(j) - col(i)));
    }

    /** Number of distinct offsets per axis, 2g - 1. */
    public int offsetSide() { return 2 * side - 1; }

    /**
     * Index of the offset from query i to key j in a (2g-1) x (2g-1) row-major table whose
     * centre (g-1, g-1) is offset (0, 0).
     */
    public int offsetIndex(int i, int j) {
        int dr = row(j) - row(i) + side - 1;
        int dc = col(j) - col(i) + side - 1;
        return dr * offsetSide() + dc;
    }

    /** The JSON key {@code "dr,dc"} of offset-table entry {@code index}. */
    public String offsetKey(int index) {
        int dr = index / offsetSide() - (side - 1);
        int dc = index % offsetSide() - (side - 1);
        return dr + "," + dc;
    }

    /**
     * The mean attention distance in pixels of a head that spreads its patch attention uniformly:
     * P times the mean over query patches i of the mean over all key patches j (i included) of d_ij.
     * It is the yardstick of the "global" head type.
     */
    public double uniformMeanDistancePx() {
        int n = patches();
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) sum += distance(i, j);
        return sum / ((double) n * n) * patchSize;
    }
}
