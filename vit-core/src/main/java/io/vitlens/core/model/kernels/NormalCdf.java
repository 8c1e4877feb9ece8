package io.vitlens.core.model.kernels;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal CDF Phi and density phi that the exact GELU needs (Java has no {@code Math.erf}).
 *
 * <p>{@link #exact} goes through Commons Math's {@code erfc} (regularised incomplete gamma, ~1e-15):
 * slow, but exact enough that a double-precision gradient check of GELU sees no approximation error.
 *
 * <p>{@link #fastErfc} serves the FLOAT model: erfc(z) = t * exp(-z^2) * Q(2t - 1) with t = 1 / (1 + z/2)
 * (the form of Numerical Recipes' {@code erfcc}), where Q is a degree-12 polynomial fitted for this
 * project (Chebyshev least squares of erfcx(z) / t on t in (0, 1], numpy/scipy, against
 * {@code scipy.special.erfcx}). Its relative error is below 3e-9 on z in [0, 9] (tested against
 * Commons Math), far below float32 resolution; Abramowitz-Stegun 7.1.26 instead has absolute error
 * 1.5e-7, i.e. large relative error in the tail. The single exp(-z^2) = exp(-u^2 / 2) is shared with the
 * density, so GELU and its derivative cost one exponential. Phi is taken from erfc on the side where it
 * is small, so neither tail loses precision.
 */
public final class NormalCdf {

    static final double INV_SQRT2 = 0.7071067811865476;
    static final double INV_SQRT_2PI = 0.3989422804014327;

    /** Q(s) in monomial form, s = 2t - 1 in [-1, 1]; lowest order first. */
    private static final double Q0 = 0.5107913527182764, Q1 = 0.34358033516993364, Q2 = 0.13973603616672572,
            Q3 = 0.0182213344592627, Q4 = -0.010755161669254594, Q5 = -0.0032415449981674257,
            Q6 = 0.0015442609262675232, Q7 = 0.00042624339104753797, Q8 = -0.00032854692402127717,
            Q9 = -3.210869210456483e-05, Q10 = 6.811556257601631e-05, Q11 = -1.6571589635866394e-06,
            Q12 = -8.661375260331217e-06;

    private NormalCdf() {
    }

    /** Q's coefficients, highest order first (Q12 ... Q0), for vectorised Horner evaluation. */
    static double[] coefficientsHighestFirst() {
        return new double[]{Q12, Q11, Q10, Q9, Q8, Q7, Q6, Q5, Q4, Q3, Q2, Q1, Q0};
    }

    /** Phi(u) to double precision. */
    public static double exact(double u) {
        return u < 0 ? 0.5 * Erf.erfc(-u * INV_SQRT2) : 1.0 - 0.5 * Erf.erfc(u * INV_SQRT2);
    }

    /** phi(u) = exp(-u^2 / 2) / sqrt(2 pi). */
    public static double density(double u) {
        return Math.exp(-0.5 * u * u) * INV_SQRT_2PI;
    }

    /** Phi(u) with relative error below ~3e-9 (from {@link #fastErfc}). */
    public static double fast(double u) {
        double ec = fastErfc(Math.abs(u) * INV_SQRT2);
        return u < 0 ? 0.5 * ec : 1.0 - 0.5 * ec;
    }

    /** erfc(z) for z >= 0, relative error below 3e-9. */
    public static double fastErfc(double z) {
        return erfcOverExp(z) * Math.exp(-z * z);
    }

    /** erfc(z) / exp(-z^2) = t * Q(2t - 1), t = 1 / (1 + z/2), for z >= 0. */
    static double erfcOverExp(double z) {
        double t = 1.0 / (1.0 + 0.5 * z);
        double s = 2.0 * t - 1.0;
        return t * (Q0 + s * (Q1 + s * (Q2 + s * (Q3 + s * (Q4 + s * (Q5 + s * (Q6 + s * (Q7 + s * (Q8
                + s * (Q9 + s * (Q10 + s * (Q11 + s * Q12))))))))))));
    }
}
