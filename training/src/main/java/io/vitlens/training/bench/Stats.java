package io.vitlens.training.bench;

import java.util.Arrays;

/** Median and spread of repeated timings. */
public record Stats(double median, double p10, double p90, double min, double max, int n) {
    public static Stats of(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return new Stats(quantile(v, 0.5), quantile(v, 0.1), quantile(v, 0.9), v[0], v[v.length - 1], v.length);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
