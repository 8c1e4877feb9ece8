package io.vitlens.data.synthetic;

import java.util.SplittableRandom;

/**
 * Multi-octave value noise with amplitude proportional to 1/frequency: lattices of 1, 2, 4, ... cells
 * across the image (up to S/2), each smoothly interpolated, weighted 1/cells and summed. The 1/f
 * amplitude spectrum is the second-order statistic of natural images (Field 1987, "Relations between
 * the statistics of natural images and the response properties of cortical cells"), so neighbouring
 * pixels are correlated the way they are in photographs and object edges are not the only structure.
 *
 * <p>Each octave's lattice is shifted by a random fraction of a cell. Without the shift the lattice
 * points sit at the same pixels in every image, and value noise is special there (largest variance, zero
 * slope): the texture between neighbouring pixels would be 4x stronger in some columns and rows than in
 * others, at fixed places of the patch grid, a position cue a position-embedding analysis would pick up.
 * With the shift the field (before its per-image standardisation) is stationary.
 */
final class ValueNoise {
    private ValueNoise() {}

    /**
     * Writes a zero-mean, unit-standard-deviation field [S, S] into {@code out}.
     *
     * @param lattice scratch of at least (S/2 + 2)^2 doubles
     */
    static void field(int size, SplittableRandom r, double[] out, double[] lattice) {
        java.util.Arrays.fill(out, 0, size * size, 0);
        for (int cells = 1; cells <= Math.max(1, size / 2); cells *= 2) {
            int n = cells + 2;   // lattice points 0..cells+1: the shifted image spans (0, cells + 1)
            double shiftX = r.nextDouble(), shiftY = r.nextDouble();
            for (int i = 0; i < n * n; i++) lattice[i] = 2 * r.nextDouble() - 1;
            double amp = 1.0 / cells;
            double step = (double) cells / size;
            for (int y = 0; y < size; y++) {
                double gy = (y + 0.5) * step + shiftY;
                int y0 = (int) gy;
                double fy = smooth(gy - y0);
                for (int x = 0; x < size; x++) {
                    double gx = (x + 0.5) * step + shiftX;
                    int x0 = (int) gx;
                    double fx = smooth(gx - x0);
                    double top = lattice[y0 * n + x0] * (1 - fx) + lattice[y0 * n + x0 + 1] * fx;
                    double bottom = lattice[(y0 + 1) * n + x0] * (1 - fx) + lattice[(y0 + 1) * n + x0 + 1] * fx;
                    out[y * size + x] += amp * (top * (1 - fy) + bottom * fy);
                }
            }
        }
        normalise(out, size * size);
    }

    /** Smoothstep: C1-continuous interpolation, so the lattice does not show as creases. */
    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static void normalise(double[] v, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += v[i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
        double sd = Math.sqrt(var / n);
        double inv = sd > 1e-12 ? 1 / sd : 0;
        for (int i = 0; i < n; i++) v[i] = (v[i] - mean) * inv;
    }
}
