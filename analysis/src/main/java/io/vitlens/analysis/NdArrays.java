package io.vitlens.analysis;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The boundary between ND4J and the plain-array statistics: shape checks and copies into Java
 * arrays. Everything past this class works on float[] / double[].
 */
public final class NdArrays {

    private NdArrays() { }

    /** Row-major copy of {@code a}, after checking its shape. */
    public static float[] floats(INDArray a, String what, long... expectedShape) {
        requireShape(a, what, expectedShape);
        float[] f = a.dup('c').data().asFloat(); // a fresh buffer holding exactly this array, row-major
        if (f.length != a.length())
            throw new IllegalStateException(what + ": copied " + f.length + " values, expected " + a.length());
        return f;
    }

    /** [rows][cols] copy of a 2-D array, after checking its shape. */
    static double[][] matrix(INDArray a, String what, long rows, long cols) {
        requireShape(a, what, rows, cols);
        return a.toDoubleMatrix();
    }

    /** [H][T'][d] copy of a 3-D array, after checking its shape. */
    static double[][][] cube(INDArray a, String what, long heads, long tokens, long width) {
        requireShape(a, what, heads, tokens, width);
        double[][][] out = new double[(int) heads][][];
        for (int h = 0; h < heads; h++) out[h] = a.slice(h).toDoubleMatrix();
        return out;
    }

    /** A [rows][cols] matrix as an ND4J array of the given type. */
    static INDArray create(double[][] m, DataType type) {
        return Nd4j.create(m).castTo(type);
    }

    static void requireShape(INDArray a, String what, long... expected) {
        if (a == null) throw new IllegalStateException(what + ": missing (null), expected shape " + Arrays.toString(expected));
        if (!Arrays.equals(a.shape(), expected))
            throw new IllegalStateException(what + ": shape " + Arrays.toString(a.shape()) + ", expected "
                    + Arrays.toString(expected));
    }
}
