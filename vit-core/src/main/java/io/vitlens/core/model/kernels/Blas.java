package io.vitlens.core.model.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Row-major matrix products straight into OpenBLAS ({@code cblas_sgemm} / {@code cblas_dgemm}), the
 * same library ND4J links against.
 *
 * <p>Why not {@code Nd4j.gemm}: the attention products work on sub-matrices of the fused qkv buffer
 * (leading dimension 3D, an offset per batch and head), which ND4J only accepts as copies; and
 * {@code mmul} allocating its result ran ~5x slower (dl4j-notes.md). Every call is bounds-checked in
 * Java first, because an out-of-range native read crashes the JVM instead of throwing.
 *
 * <p>Matrices are described BLAS-style: {@code op(A)} is m x k, {@code op(B)} is k x n, C is m x n,
 * each stored row-major from an element offset with a leading dimension (row stride).
 */
public final class Blas {

    private Blas() {
    }

    /** C = alpha * op(A) op(B) + beta * C on sub-matrices of dense arrays of one data type (FLOAT or DOUBLE). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            INDArray a, long aOff, int lda, INDArray b, long bOff, int ldb,
                            double beta, INDArray c, long cOff, int ldc) {
        if (m == 0 || n == 0) return;
        DataType t = c.dataType();
        if (a.dataType() != t || b.dataType() != t)
            throw new IllegalArgumentException("gemm: mixed data types " + a.dataType() + ", " + b.dataType() + ", " + t);
        Buffers.requireDense(a, "gemm A");
        Buffers.requireDense(b, "gemm B");
        Buffers.requireDense(c, "gemm C");
        checkExtent("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        checkExtent("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        checkExtent("C", c, cOff, m, n, ldc);
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (t == DataType.FLOAT) {
            FloatPointer pa = ((FloatPointer) a.data().addressPointer()).position(aOff);
            FloatPointer pb = ((FloatPointer) b.data().addressPointer()).position(bOff);
            FloatPointer pc = ((FloatPointer) c.data().addressPointer()).position(cOff);
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alpha,
                    pa, lda, pb, ldb, (float) beta, pc, ldc);
        } else if (t == DataType.DOUBLE) {
            DoublePointer pa = ((DoublePointer) a.data().addressPointer()).position(aOff);
            DoublePointer pb = ((DoublePointer) b.data().addressPointer()).position(bOff);
            DoublePointer pc = ((DoublePointer) c.data().addressPointer()).position(cOff);
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha,
                    pa, lda, pb, ldb, beta, pc, ldc);
        } else {
            throw new IllegalArgumentException("gemm: unsupported data type " + t + "; expected FLOAT or DOUBLE");
        }
    }

    /**
     * C = alpha * op(A) op(B) + beta * C for whole dense matrices; arrays of rank above 2 are read as
     * [product of leading axes, last axis], e.g. tokens [B, T, D] as [B*T, D].
     */
    public static void matmul(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c,
                              double alpha, double beta) {
        long[] sa = asMatrix(a);
        long[] sb = asMatrix(b);
        long[] sc = asMatrix(c);
        long m = transA ? sa[1] : sa[0];
        long k = transA ? sa[0] : sa[1];
        long kb = transB ? sb[1] : sb[0];
        long n = transB ? sb[0] : sb[1];
        if (k != kb || sc[0] != m || sc[1] != n)
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + (transA ? "^T" : "")
                    + " x " + Arrays.toString(b.shape()) + (transB ? "^T" : "") + " -> " + Arrays.toString(c.shape())
                    + " do not agree");
        gemm(transA, transB, Math.toIntExact(m), Math.toIntExact(n), Math.toIntExact(k), alpha,
                a, 0, Math.toIntExact(sa[1]), b, 0, Math.toIntExact(sb[1]), beta, c, 0, Math.toIntExact(sc[1]));
    }

    private static long[] asMatrix(INDArray x) {
        if (x.rank() == 1) return new long[]{1, x.length()};
        long cols = x.size(x.rank() - 1);
        return new long[]{cols == 0 ? 0 : x.length() / cols, cols};
    }

    private static void checkExtent(String which, INDArray x, long off, long rows, long cols, int ld) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols)
            throw new IllegalArgumentException("gemm " + which + ": leading dimension " + ld + " < row length " + cols);
        long last = off + (rows - 1) * (long) ld + cols;
        if (off < 0 || last > x.length())
            throw new IllegalArgumentException("gemm " + which + ": " + rows + " x " + cols + " block at offset " + off
                    + " with leading dimension " + ld + " exceeds array of length " + x.length()
                    + " " + Arrays.toString(x.shape()));
    }
}
