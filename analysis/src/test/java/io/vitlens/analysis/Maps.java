package io.vitlens.analysis;

import java.util.Random;

/** Constructed attention maps [T][T] (token 0 = CLS, patch t at token t + 1) with known statistics. */
final class Maps {

    private Maps() { }

    /** Every row uniform over all T tokens. */
    static double[][] uniform(int g) {
        int t = g * g + 1;
        double[][] a = new double[t][t];
        for (double[] row : a) java.util.Arrays.fill(row, 1.0 / t);
        return a;
    }

    /** Every patch attends only to its right-hand neighbour (the last column to its left-hand one); CLS row uniform. */
    static double[][] rightNeighbour(int g) {
        double[][] a = uniform(g);
        for (int r = 0; r < g; r++)
            for (int c = 0; c < g; c++) {
                double[] row = a[1 + r * g + c];
                java.util.Arrays.fill(row, 0);
                int key = c < g - 1 ? r * g + c + 1 : r * g + c - 1;
                row[1 + key] = 1;
            }
        return a;
    }

    /** Every patch attends only to the patch below (the last row to the one above). */
    static double[][] downNeighbour(int g) {
        double[][] a = uniform(g);
        for (int r = 0; r < g; r++)
            for (int c = 0; c < g; c++) {
                double[] row = a[1 + r * g + c];
                java.util.Arrays.fill(row, 0);
                int key = r < g - 1 ? (r + 1) * g + c : (r - 1) * g + c;
                row[1 + key] = 1;
            }
        return a;
    }

    /** Every patch attends uniformly to its 3x3 neighbourhood (itself included). */
    static double[][] neighbourhood(int g) {
        double[][] a = uniform(g);
        for (int r = 0; r < g; r++)
            for (int c = 0; c < g; c++) {
                double[] row = a[1 + r * g + c];
                java.util.Arrays.fill(row, 0);
                int count = 0;
                for (int dr = -1; dr <= 1; dr++)
                    for (int dc = -1; dc <= 1; dc++)
                        if (r + dr >= 0 && r + dr < g && c + dc >= 0 && c + dc < g) count++;
                for (int dr = -1; dr <= 1; dr++)
                    for (int dc = -1; dc <= 1; dc++)
                        if (r + dr >= 0 && r + dr < g && c + dc >= 0 && c + dc < g) row[1 + (r + dr) * g + c + dc] = 1.0 / count;
            }
        return a;
    }

    /** Every patch attends only to patch {@code key}. */
    static double[][] allTo(int g, int key) {
        double[][] a = uniform(g);
        for (int q = 1; q < a.length; q++) {
            java.util.Arrays.fill(a[q], 0);
            a[q][1 + key] = 1;
        }
        return a;
    }

    /** Softmax of random logits (scale s), seeded: a generic, content-dependent map. */
    static double[][] random(int g, long seed, double scale) {
        Random rnd = new Random(seed);
        int t = g * g + 1;
        double[][] a = new double[t][t];
        for (int q = 0; q < t; q++) {
            double sum = 0;
            for (int k = 0; k < t; k++) { a[q][k] = Math.exp(scale * rnd.nextGaussian()); sum += a[q][k]; }
            for (int k = 0; k < t; k++) a[q][k] /= sum;
        }
        return a;
    }
}
