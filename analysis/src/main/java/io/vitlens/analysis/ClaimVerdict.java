package io.vitlens.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;

/**
 * The verdict on one claim of claims.md for one run.
 *
 * @param id       C1 .. C12
 * @param title    the claim in a few words
 * @param metric   what {@code value} and {@code baseline} measure
 * @param value    the number on the trained (last analysed) checkpoint; null when not measured
 * @param baseline the same number at initialisation ({@code epoch-000}); null when not available
 * @param holds    {@code true}, {@code false} or the string {@code "not-measured"}
 * @param reason   the rule applied and the numbers it saw, or why nothing was measured
 * @param details  supporting numbers (trajectories, per-layer values, names)
 */
public record ClaimVerdict(String id, String title, String metric, Double value, Double baseline, Object holds,
                           String reason, Map<String, Object> details) {

    public static final String NOT_MEASURED = "not-measured";

    public static ClaimVerdict notMeasured(String id, String title, String metric, String reason) {
        return new ClaimVerdict(id, title, metric, null, null, NOT_MEASURED, reason, Map.of());
    }

    /** True when the claim was measured and holds. */
    @JsonIgnore
    public boolean isHeld() { return Boolean.TRUE.equals(holds); }
}
