package io.vitlens.analysis.stats;

/**
 * Ranks with ties averaged, 1-based: the convention of commons-math's
 * {@code NaturalRanking(TiesStrategy.AVERAGE)} (its default) and of scipy's {@code rankdata}, so
 * that our Spearman correlations equal theirs to rounding. Written with a primitive index sort
 * because the analysis ranks up to N^2 = 65,536 values per head.
 */
public final class Ranks {

    private Ranks() { }

    /**
     * @param x values, none NaN
     * @return r with r[i] the 1-based rank of x[i]; tied values share the mean of their ranks
     * @throws IllegalArgumentException if a value is NaN
     */
    public static double[] average(double[] x) {
        int n = x.length;
        for (int i = 0; i < n; i++)
            if (Double.isNaN(x[i])) throw new IllegalArgumentException("cannot rank NaN at index " + i);
        int[] order = sortedIndices(x);
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && x[order[end]] == x[order[start]]) end++;
            // positions start..end-1 (0-based) hold equal values: 1-based ranks start+1..end
            double rank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) ranks[order[k]] = rank;
            start = end;
        }
        return ranks;
    }

    /** Indices of x in ascending order of value (stable merge sort on primitives). */
    static int[] sortedIndices(double[] x) {
        int n = x.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        int[] buf = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int p = lo, q = mid, k = lo;
                while (p < mid && q < hi) buf[k++] = x[a[q]] < x[a[p]] ? a[q++] : a[p++];
                while (p < mid) buf[k++] = a[p++];
                while (q < hi) buf[k++] = a[q++];
            }
            int[] t = a; a = buf; buf = t;
        }
        return a;
    }
}
