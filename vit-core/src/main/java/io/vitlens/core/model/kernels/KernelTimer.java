package io.vitlens.core.model.kernels;

/**
 * How {@link KernelChooser} times one run of a candidate. The wall clock in production; tests substitute a
 * fake that reports chosen durations, so the chooser's decision can be checked without real timing.
 */
@FunctionalInterface
public interface KernelTimer {

    /** Runs {@code run} (the candidate {@code impl} for {@code key}) once and returns its duration in milliseconds. */
    double millis(KernelKey key, String impl, Runnable run);

    KernelTimer WALL_CLOCK = (key, impl, run) -> {
        long t0 = System.nanoTime();
        run.run();
        return (System.nanoTime() - t0) / 1e6;
    };
}
