package io.vitlens.core.model.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Direct access to the native memory behind dense ND4J arrays, for the hand-written kernels.
 *
 * <p>Every accessor first checks that the array is dense in row-major order (strides of a fresh
 * c-order array of the same shape, ignoring size-1 axes): a strided view handed to native BLAS or
 * read through a flat buffer would silently read the wrong elements or crash the JVM. Views that
 * are dense (parameter and gradient views, reshapes) are fine: {@code data().addressPointer()}
 * already points at the view's first element (checked in {@code BuffersTest}).
 */
public final class Buffers {

    private Buffers() {
    }

    /** Throws unless {@code a} is laid out like a fresh c-order array of its shape. */
    public static void requireDense(INDArray a, String what) {
        if (a == null) throw new IllegalArgumentException(what + ": array is null");
        if (!isDense(a))
            throw new IllegalArgumentException(what + ": expected a dense row-major array, got shape "
                    + Arrays.toString(a.shape()) + " strides " + Arrays.toString(a.stride()) + " order " + a.ordering());
    }

    /** True if {@code a} is laid out like a fresh c-order array of its shape. */
    public static boolean isDense(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** {@code a} itself if dense, else a dense c-order copy. */
    public static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /** A direct float buffer over exactly the elements of dense FLOAT array {@code a}; writes go to {@code a}. */
    public static FloatBuffer floats(INDArray a) {
        requireType(a, DataType.FLOAT);
        requireDense(a, "float buffer");
        FloatPointer p = (FloatPointer) a.data().addressPointer();
        return p.capacity(a.length()).limit(a.length()).asBuffer();
    }

    /** A direct double buffer over exactly the elements of dense DOUBLE array {@code a}; writes go to {@code a}. */
    public static DoubleBuffer doubles(INDArray a) {
        requireType(a, DataType.DOUBLE);
        requireDense(a, "double buffer");
        DoublePointer p = (DoublePointer) a.data().addressPointer();
        return p.capacity(a.length()).limit(a.length()).asBuffer();
    }

    /**
     * Copies {@code count} consecutive elements (row-major) of {@code src} from element {@code srcOff} into
     * {@code dst} from element {@code dstOff}; both dense, of one type, FLOAT or DOUBLE.
     */
    public static void copy(INDArray src, long srcOff, INDArray dst, long dstOff, int count) {
        if (src.dataType() != dst.dataType())
            throw new IllegalArgumentException("copy: data types differ, " + src.dataType() + " vs " + dst.dataType());
        if (srcOff < 0 || dstOff < 0 || srcOff + count > src.length() || dstOff + count > dst.length())
            throw new IllegalArgumentException("copy: " + count + " elements from " + srcOff + " of " + src.length()
                    + " to " + dstOff + " of " + dst.length() + " are out of range");
        if (src.dataType() == DataType.FLOAT) floats(dst).put((int) dstOff, floats(src), (int) srcOff, count);
        else doubles(dst).put((int) dstOff, doubles(src), (int) srcOff, count);
    }

    /** A heap copy of {@code a}'s elements in row-major order, widened to double. */
    public static double[] toDoubles(INDArray a) {
        int n = Math.toIntExact(a.length());
        double[] out = new double[n];
        if (isDense(a) && a.dataType() == DataType.DOUBLE) {
            doubles(a).get(0, out);
        } else if (isDense(a) && a.dataType() == DataType.FLOAT) {
            FloatBuffer b = floats(a);
            for (int i = 0; i < n; i++) out[i] = b.get(i);
        } else {
            double[] copy = a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            System.arraycopy(copy, 0, out, 0, n);
        }
        return out;
    }

    /** Writes {@code src} (row-major) into {@code dst}, converting to {@code dst}'s data type. */
    public static void fromDoubles(double[] src, INDArray dst) {
        if (src.length != dst.length())
            throw new IllegalArgumentException("cannot write " + src.length + " values into an array of shape "
                    + Arrays.toString(dst.shape()));
        if (isDense(dst) && dst.dataType() == DataType.DOUBLE) {
            doubles(dst).put(0, src);
        } else if (isDense(dst) && dst.dataType() == DataType.FLOAT) {
            FloatBuffer b = floats(dst);
            for (int i = 0; i < src.length; i++) b.put(i, (float) src[i]);
        } else {
            dst.assign(Nd4j.createFromArray(src).reshape('c', dst.shape()).castTo(dst.dataType()));
        }
    }

    static void requireType(INDArray a, DataType t) {
        if (a.dataType() != t)
            throw new IllegalArgumentException("expected a " + t + " array, got " + a.dataType() + " of shape "
                    + Arrays.toString(a.shape()));
    }
}
