package io.vitlens.core.model.kernels;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A product family at one shape, e.g. {@code linear.forward@16384x384x128} (rows R rounded up to a power of
 * two, N, K) or {@code attention.forward@128x65x4x32} (batch B rounded up to a power of two, T, H, d).
 * Rounding the leading dimension keeps the number of measurements small (the last, partial batch of an epoch
 * and evaluation batches share the training batch's choice or add one more) while the choice between the
 * vector loops and OpenBLAS depends mostly on the other dimensions.
 */
public record KernelKey(KernelFamily family, long[] dims) {

    public KernelKey {
        if (dims.length == 0) throw new IllegalArgumentException("a kernel key needs dimensions");
        dims = dims.clone();
    }

    /** A linear family's key for a product over {@code rows} token rows, N outputs and K inputs. */
    public static KernelKey linear(KernelFamily f, long rows, int n, int k) {
        if (!f.linear()) throw new IllegalArgumentException(f.id() + " is not a linear-layer family");
        return new KernelKey(f, new long[]{bucket(rows), n, k});
    }

    /** An attention family's key for B images of T tokens, H heads of width d. */
    public static KernelKey attention(KernelFamily f, int batch, int tokens, int heads, int headDim) {
        if (f.linear()) throw new IllegalArgumentException(f.id() + " is not an attention family");
        return new KernelKey(f, new long[]{bucket(batch), tokens, heads, headDim});
    }

    /** The smallest power of two >= n (n >= 1). */
    static long bucket(long n) {
        if (n <= 1) return 1;
        return Long.highestOneBit(n - 1) << 1;
    }

    /** Parses {@link #toString()}'s form; the message names the text and what was expected. */
    public static KernelKey parse(String s) {
        int at = s.indexOf('@');
        if (at <= 0) throw new IllegalArgumentException("kernel key '" + s + "': expected FAMILY@AxBxC, e.g. linear.forward@16384x384x128");
        KernelFamily f = KernelFamily.ofId(s.substring(0, at));
        try {
            long[] d = Arrays.stream(s.substring(at + 1).split("x")).mapToLong(Long::parseLong).toArray();
            if (d.length != (f.linear() ? 3 : 4) || Arrays.stream(d).anyMatch(v -> v <= 0))
                throw new IllegalArgumentException("kernel key '" + s + "': expected " + (f.linear() ? 3 : 4)
                        + " positive dimensions");
            return new KernelKey(f, d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel key '" + s + "': dimensions must be integers joined by 'x'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelKey k && k.family == family && Arrays.equals(k.dims, dims);
    }

    @Override
    public int hashCode() {
        return 31 * family.hashCode() + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return family.id() + "@" + Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
