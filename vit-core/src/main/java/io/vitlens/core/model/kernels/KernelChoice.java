package io.vitlens.core.model.kernels;

import java.util.Map;

/**
 * Which implementation runs a {@link KernelKey}, and why.
 *
 * @param impl       {@code vector} or {@code openblas}
 * @param millis     median milliseconds per call of each candidate when it was measured (empty if not measured
 *                   in this process or read from a run directory)
 * @param source     {@code measured} (timed in this process), {@code cache} (timed earlier on this machine),
 *                   {@code run} (the choice a run directory recorded, so a resumed run computes what the first
 *                   did) or {@code override} (a system property)
 * @param measuredAt when it was timed (ISO-8601), or null
 */
public record KernelChoice(String impl, Map<String, Double> millis, String source, String measuredAt) {
    public KernelChoice {
        millis = millis == null ? Map.of() : Map.copyOf(millis);
    }

    public KernelChoice withSource(String s) {
        return new KernelChoice(impl, millis, s, measuredAt);
    }
}
