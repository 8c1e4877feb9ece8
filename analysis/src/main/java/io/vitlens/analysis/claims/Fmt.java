package io.vitlens.analysis.claims;

import java.util.Locale;

/** Number formatting for the human-readable reasons of the verdicts. */
public final class Fmt {

    private Fmt() { }

    /** Four significant digits, "n/a" for NaN / null. */
    public static String num(Double v) {
        if (v == null || v.isNaN()) return "n/a";
        if (v.isInfinite()) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** null for NaN, so a verdict's value/baseline serialise as JSON null. */
    public static Double orNull(double v) { return Double.isNaN(v) ? null : v; }
}
