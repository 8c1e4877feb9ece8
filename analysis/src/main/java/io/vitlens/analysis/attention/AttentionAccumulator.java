package io.vitlens.analysis.attention;

import io.vitlens.analysis.geometry.PatchGrid;

import java.util.Arrays;

/**
 * Streams one layer's attention maps, batch by batch, into the per-head statistics of claims.md
 * (C6, C7, C10) without keeping the maps: sums over patch queries and images, and a per-entry
 * Welford mean/M2 of the patch-to-patch block for the positional share. Token 0 is CLS; patch
 * token t (1..N) sits at grid position t - 1.
 */
public final class AttentionAccumulator {

    /** Finished statistics of one head. */
    public record HeadSummary(double meanDistancePx, double entropy, double localMass, double rowMass,
                              double columnMass, double clsMass, double positionalShare, double asymmetry,
                              double[] attentionAtOffset) { }

    private final PatchGrid grid;
    private final int heads;
    private final int n;      // N patches
    private final int t;      // T = N + 1 tokens
    private final double[] pixelDistance; // [N*N]
    private final int[][] neighbours;     // per query patch: keys with Chebyshev distance <= 1 (itself included)
    private final int[][] sameRow;
    private final int[][] sameColumn;

    private long images;
    private final double[] distanceSum, entropySum, localSum, rowSum, columnSum, clsSum, asymmetrySum; // [H]
    private final double[][] entryMean; // [H][N*N] Welford mean of A_ij over images
    private final double[][] entryM2;   // [H][N*N] Welford sum of squared deviations
    private double maxRowSumDeviation;

    public AttentionAccumulator(PatchGrid grid, int heads) {
        if (heads < 1) throw new IllegalArgumentException("heads: " + heads + " is not a positive integer");
        this.grid = grid;
        this.heads = heads;
        this.n = grid.patches();
        this.t = n + 1;
        pixelDistance = new double[n * n];
        neighbours = new int[n][];
        sameRow = new int[n][];
        sameColumn = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] nb = new int[9], row = new int[grid.side()], col = new int[grid.side()];
            int a = 0, b = 0, c = 0;
            for (int j = 0; j < n; j++) {
                pixelDistance[i * n + j] = grid.distance(i, j) * grid.patchSize();
                if (grid.chebyshev(i, j) <= 1) nb[a++] = j;
                if (grid.row(j) == grid.row(i)) row[b++] = j;
                if (grid.col(j) == grid.col(i)) col[c++] = j;
            }
            neighbours[i] = Arrays.copyOf(nb, a);
            sameRow[i] = row;
            sameColumn[i] = col;
        }
        distanceSum = new double[heads];
        entropySum = new double[heads];
        localSum = new double[heads];
        rowSum = new double[heads];
        columnSum = new double[heads];
        clsSum = new double[heads];
        asymmetrySum = new double[heads];
        entryMean = new double[heads][n * n];
        entryM2 = new double[heads][n * n];
    }

    /**
     * @param attention a batch of attention maps, [B, H, T, T] flattened in row-major order
     * @param batch     B
     */
    public void add(float[] attention, int batch) {
        long expected = (long) batch * heads * t * t;
        if (attention.length != expected)
            throw new IllegalArgumentException("attention: " + attention.length + " values, expected B*H*T*T = "
                    + batch + "*" + heads + "*" + t + "*" + t + " = " + expected);
        double[] block = new double[n * n]; // [N, N] patch-to-patch of one (image, head)
        for (int b = 0; b < batch; b++) {
            images++;
            for (int h = 0; h < heads; h++) {
                int base = (b * heads + h) * t * t;
                checkRowSums(attention, base);
                for (int i = 0; i < n; i++) {
                    int rowBase = base + (i + 1) * t;      // query token i + 1
                    for (int j = 0; j < n; j++) block[i * n + j] = attention[rowBase + 1 + j];
                    accumulateQuery(h, i, attention, rowBase, block);
                }
                accumulateMap(h, block);
            }
        }
    }

    private void checkRowSums(float[] a, int base) {
        for (int q = 0; q < t; q++) {
            double s = 0;
            for (int j = 0; j < t; j++) s += a[base + q * t + j];
            maxRowSumDeviation = Math.max(maxRowSumDeviation, Math.abs(s - 1.0));
        }
    }

    private void accumulateQuery(int h, int i, float[] a, int rowBase, double[] block) {
        double mass = 0, weighted = 0;
        int off = i * n;
        for (int j = 0; j < n; j++) {
            double v = block[off + j];
            mass += v;
            weighted += v * pixelDistance[off + j];
        }
        distanceSum[h] += weighted / mass;
        double entropy = 0;
        for (int j = 0; j < t; j++) {
            double v = a[rowBase + j];
            if (v > 0) entropy -= v * Math.log(v);
        }
        entropySum[h] += entropy;
        localSum[h] += sum(block, off, neighbours[i]);
        rowSum[h] += sum(block, off, sameRow[i]);
        columnSum[h] += sum(block, off, sameColumn[i]);
        clsSum[h] += a[rowBase];
    }

    private static double sum(double[] block, int off, int[] keys) {
        double s = 0;
        for (int j : keys) s += block[off + j];
        return s;
    }

    private void accumulateMap(int h, double[] block) {
        double diff = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            norm += block[i * n + i] * block[i * n + i];
            for (int j = i + 1; j < n; j++) {
                double x = block[i * n + j], y = block[j * n + i];
                diff += 2 * (x - y) * (x - y);
                norm += x * x + y * y;
            }
        }
        asymmetrySum[h] += Math.sqrt(diff) / Math.sqrt(norm);
        double[] mean = entryMean[h], m2 = entryM2[h];
        for (int e = 0; e < block.length; e++) { // Welford: exact, stable variance decomposition
            double delta = block[e] - mean[e];
            mean[e] += delta / images;
            m2[e] += delta * (block[e] - mean[e]);
        }
    }

    /** The image-mean patch-to-patch block of head h, [N*N] row-major, row = query patch (Abar). */
    public double[] meanPatchMap(int h) { return entryMean[h].clone(); }

    /** Images seen so far. */
    public long images() { return images; }

    /** max |sum_j A_ij - 1| over every row seen (CLS query included). */
    public double maxRowSumDeviation() { return maxRowSumDeviation; }

    /** The statistics of head h over all images added. */
    public HeadSummary summary(int h) {
        if (images == 0) throw new IllegalStateException("no attention maps were added");
        double queries = (double) images * n;
        double[] mean = entryMean[h];
        double grand = 0;
        for (double v : mean) grand += v;
        grand /= mean.length;
        double between = 0, within = 0;
        for (int e = 0; e < mean.length; e++) {
            between += (mean[e] - grand) * (mean[e] - grand);
            within += entryM2[h][e];
        }
        between /= mean.length;                       // population variance of A-bar over its entries
        within /= (double) images * mean.length;      // mean over entries of the per-entry population variance
        double total = between + within;              // = population variance over images and entries together
        double positionalShare = total > 0 ? between / total : Double.NaN;

        double[] offsetSum = new double[grid.offsetSide() * grid.offsetSide()];
        int[] offsetCount = new int[offsetSum.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int o = grid.offsetIndex(i, j);
                offsetSum[o] += mean[i * n + j];
                offsetCount[o]++;
            }
        for (int o = 0; o < offsetSum.length; o++) offsetSum[o] /= offsetCount[o];

        return new HeadSummary(distanceSum[h] / queries, entropySum[h] / queries, localSum[h] / queries,
                rowSum[h] / queries, columnSum[h] / queries, clsSum[h] / queries, positionalShare,
                asymmetrySum[h] / images, offsetSum);
    }
}
