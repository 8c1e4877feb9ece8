package io.vitlens.analysis.claims;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;

import java.util.ArrayList;
import java.util.List;


/**
 * The verdicts as a few terminal lines, e.g. {@code C1 holds: rho -0.44 (p 0.001) vs -0.05 at epoch-000},
 * so a user sees what happened without opening the report; the claims not measured share one line.
 */
public final class Verdicts {

    private Verdicts() { }

    public static List<String> lines(AnalysisResult r) {
        String base = r.baseline().map(CheckpointAnalysis::checkpoint).orElse("init");
        String trained = r.last().checkpoint();
        List<String> out = new ArrayList<>();
        List<String> notMeasured = new ArrayList<>();
        for (ClaimVerdict c : r.claims()) {
            if (!(c.holds() instanceof Boolean held)) { notMeasured.add(c.id()); continue; }
            StringBuilder b = new StringBuilder(c.id()).append(held ? " holds: " : " does not hold: ").append(value(c))
                    .append(" at ").append(trained);
            if (c.baseline() != null) b.append(" vs ").append(num(c.baseline())).append(" at ").append(base);
            out.add(b.toString());
        }
        if (!notMeasured.isEmpty())
            out.add("not measured on this run: " + String.join(", ", notMeasured) + " (the report says why)");
        return out;
    }

    /** Three significant digits: a terminal line, not the report's four. */
    static String num(Double v) {
        if (v == null || v.isNaN()) return "n/a";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(java.util.Locale.ROOT, "%.2e", v);
        return String.format(java.util.Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** The claim's number with its name, short. */
    static String value(ClaimVerdict c) {
        String v = num(c.value());
        return switch (c.id()) {
            case "C1" -> "rho " + v + (c.details().get("pValue") instanceof Number p ? " (p " + num(p.doubleValue()) + ")" : "");
            case "C2" -> "min(rowR2, colR2) " + v;
            case "C3" -> "rho " + v;
            case "C4" -> "relative error " + v;
            case "C5" -> "layer-0 Q/K cosine rho " + v;
            case "C6" -> v + " head types";
            case "C7" -> "distance-depth rho " + v;
            case "C9" -> "mean Q/K angle " + v + " deg";
            case "C10" -> "max row-sum deviation " + v;
            case "C12" -> v + " vanishing or non-finite gradient groups";
            default -> "value " + v;
        };
    }
}
