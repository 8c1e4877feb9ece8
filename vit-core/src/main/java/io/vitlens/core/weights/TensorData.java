package io.vitlens.core.weights;

import java.util.Arrays;

/**
 * One float32 tensor as stored in a safetensors file: a row-major ("C" order) shape and its
 * flat data.
 *
 * <p>The arrays are shared, not copied: weight files hold hundreds of megabytes and the callers
 * (export, import) own the arrays anyway. Do not mutate them while a write is in progress.
 * {@code equals} compares the contents of both arrays, not their identity.
 *
 * @param shape dimensions, each {@code >= 0}; an empty shape is a scalar with one element
 * @param data  the elements in row-major order, {@code data.length == product(shape)}
 */
public record TensorData(long[] shape, float[] data) {

    public TensorData {
        if (shape == null) throw new IllegalArgumentException("tensor shape: missing");
        if (data == null) throw new IllegalArgumentException("tensor data: missing");
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0)
                throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + ": dimension " + i
                        + " is negative");
            n = multiplyOrMinusOne(n, shape[i]);
        }
        if (n != data.length)
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " holds "
                    + (n < 0 ? "more than 2^63" : Long.toString(n)) + " elements but data has " + data.length);
    }

    /** The number of elements, {@code product(shape)}. */
    public int numel() { return data.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data); }

    @Override
    public String toString() { return "TensorData" + Arrays.toString(shape); }

    /** {@code a * b}, or -1 on overflow (both arguments are non-negative). */
    static long multiplyOrMinusOne(long a, long b) {
        if (a < 0) return -1;
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
