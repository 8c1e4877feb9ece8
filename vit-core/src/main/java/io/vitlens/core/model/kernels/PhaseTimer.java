package io.vitlens.core.model.kernels;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time per named phase of the layers' forward and backward passes, for {@code vit bench --profile}.
 *
 * <p>Off by default: then {@link #start()} returns 0 and {@link #stop} returns at once, so training pays one
 * volatile read per phase. Phases are timed on the thread that runs the layer (the fork-join work inside a
 * phase is part of its wall time), so the phases of one step add up to at most the step's time and the
 * remainder is what the layers do not do (DL4J's loss, updater and graph bookkeeping).
 */
public final class PhaseTimer {

    private static volatile boolean enabled;
    private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();   // name -> {nanos, calls}

    private PhaseTimer() {
    }

    /** Turns timing on (forgetting what was measured before) or off (keeping it for {@link #totals}). */
    public static synchronized void enable(boolean on) {
        if (on) TOTALS.clear();
        enabled = on;
    }

    /** A start time for {@link #stop}, or 0 while timing is off. */
    public static long start() {
        return enabled ? System.nanoTime() : 0L;
    }

    /** Adds the time since {@code t0} (from {@link #start}) to {@code phase}; returns a new start time. */
    public static long stop(String phase, long t0) {
        if (t0 == 0L) return 0L;
        long now = System.nanoTime();
        synchronized (PhaseTimer.class) {
            long[] acc = TOTALS.computeIfAbsent(phase, k -> new long[2]);
            acc[0] += now - t0;
            acc[1]++;
        }
        return now;
    }

    /** Nanoseconds per phase since {@link #enable}, in first-seen order. */
    public static synchronized Map<String, Long> totals() {
        Map<String, Long> out = new LinkedHashMap<>();
        TOTALS.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }
}
