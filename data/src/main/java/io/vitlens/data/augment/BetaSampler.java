package io.vitlens.data.augment;

import java.util.SplittableRandom;

/**
 * Draws from Beta(alpha, alpha) as G1 / (G1 + G2) with G ~ Gamma(alpha, 1), Gamma by Marsaglia and
 * Tsang (2000, "A simple method for generating gamma variables"), boosted by U^(1/alpha) for
 * alpha < 1. StrictMath throughout so that the same generator state gives the same value on every JVM.
 */
public final class BetaSampler {
    private BetaSampler() {}

    /** One draw from the symmetric Beta(alpha, alpha), alpha > 0. */
    public static double symmetric(double alpha, SplittableRandom r) {
        double g1 = gamma(alpha, r), g2 = gamma(alpha, r);
        double sum = g1 + g2;
        return sum > 0 ? g1 / sum : 0.5;   // both underflowed (tiny alpha): the distribution's mean
    }

    static double gamma(double shape, SplittableRandom r) {
        if (shape < 1) {
            double u = r.nextDouble();
            return gamma(shape + 1, r) * StrictMath.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = gaussian(r);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = r.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) return d * v;
        }
    }

    /** Standard normal by Box-Muller (one of the pair). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();   // (0, 1]
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
