package io.vitlens.analysis.geometry;

/** Rounds the large matrices kept in analysis.json only for figures, so the file stays small. */
final class Rounding {

    private Rounding() { }

    static double[] round6(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.round(v[i] * 1e6) / 1e6;
        return r;
    }
}
