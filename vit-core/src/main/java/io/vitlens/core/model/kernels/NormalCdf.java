package io.vitlens.core.model.kernels;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal CDF Phi and density phi that the exact GELU needs (Java has no {@code Math.erf}).
 *
 * <p>{@link #exact} goes through Commons Math's {@code erfc} (regularised incomplete gamma, ~1e-15):
 * slow, but exact enough that a double-precision gradient check of GELU sees no approximation error.
 * {@link #fastErfc} is the Chebyshev fit of Numerical Recipes (2nd ed., section 6.2, {@code erfcc}), with
 * fractional error below 1.2e-7 for every x >= 0: at float32 resolution, which is all the FLOAT model
 * keeps. (Abramowitz-Stegun 7.1.26 has absolute error 1.5e-7, i.e. large relative error in the tail.)
 * Phi is computed from erfc on the side where it is small, so neither tail loses precision.
 */
public final class NormalCdf {

    static final double INV_SQRT2 = 0.7071067811865476;
    static final double INV_SQRT_2PI = 0.3989422804014327;

    private NormalCdf() {
    }

    /** Phi(u) to double precision. */
    public static double exact(double u) {
        return u < 0 ? 0.5 * Erf.erfc(-u * INV_SQRT2) : 1.0 - 0.5 * Erf.erfc(u * INV_SQRT2);
    }

    /** phi(u) = exp(-u^2 / 2) / sqrt(2 pi). */
    public static double density(double u) {
        return Math.exp(-0.5 * u * u) * INV_SQRT_2PI;
    }

    /** Phi(u) with relative error below ~1.2e-7 (from {@link #fastErfc}). */
    public static double fast(double u) {
        double ec = fastErfc(Math.abs(u) * INV_SQRT2);
        return u < 0 ? 0.5 * ec : 1.0 - 0.5 * ec;
    }

    /** erfc(z) for z >= 0, fractional error below 1.2e-7 (Numerical Recipes {@code erfcc}). */
    public static double fastErfc(double z) {
        double t = 1.0 / (1.0 + 0.5 * z);
        return t * Math.exp(-z * z + erfccPoly(t));
    }

    /**
     * The exponent correction of {@code erfcc}: erfc(z) = t * exp(-z^2 + erfccPoly(t)), t = 1 / (1 + z / 2).
     * Split out so a caller that also needs exp(-z^2) (the density) can reuse it.
     */
    static double erfccPoly(double t) {
        return -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    }
}
