package io.vitlens.analysis.stats;

/**
 * Pearson and Spearman correlation on plain arrays. Spearman is the Pearson correlation of
 * average ranks ({@link Ranks}), as in commons-math's {@code SpearmansCorrelation}.
 */
public final class Correlation {

    private Correlation() { }

    /** Pearson correlation; NaN when either input is constant. */
    public static double pearson(double[] a, double[] b) {
        requireSameLength(a, b);
        int n = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Spearman rank correlation with average ranks for ties; NaN when either input is constant. */
    public static double spearman(double[] a, double[] b) {
        requireSameLength(a, b);
        return pearson(Ranks.average(a), Ranks.average(b));
    }

    /** Least-squares slope of y on x (with intercept). */
    public static double slope(double[] x, double[] y) {
        requireSameLength(x, y);
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    private static void requireSameLength(double[] a, double[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("correlation of arrays of different lengths: " + a.length + " vs " + b.length);
        if (a.length < 2)
            throw new IllegalArgumentException("correlation needs at least 2 values, got " + a.length);
    }
}
