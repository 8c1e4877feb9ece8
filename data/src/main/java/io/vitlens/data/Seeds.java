package io.vitlens.data;

import java.util.SplittableRandom;

/**
 * Derives independent seeds from tuples like (seed, epoch, batch) so that every random stream in the
 * loader is a pure function of its coordinates: the result does not depend on thread scheduling or on
 * which batches were drawn before.
 */
public final class Seeds {
    private Seeds() {}

    /** A well-mixed 64-bit seed of the given parts (SplitMix64 finaliser applied after each part). */
    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) h = fmix(h ^ fmix(p + 0x632BE59BD9B4E019L));
        return h;
    }

    /** A generator for the stream at the given coordinates. */
    public static SplittableRandom random(long... parts) {
        return new SplittableRandom(mix(parts));
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
