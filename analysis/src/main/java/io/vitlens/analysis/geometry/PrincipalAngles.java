package io.vitlens.analysis.geometry;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Principal angles between the row spaces of two matrices (claim C9: the subspaces of the token
 * space that a head's W_Q [d, D] and W_K [d, D] read). Orthonormal bases come from the SVD of each
 * matrix (directions with numerically zero singular value dropped), and the angles are
 * acos of the singular values of Qa^T Qb, clamped to [-1, 1], in degrees.
 */
public final class PrincipalAngles {

    private PrincipalAngles() { }

    /**
     * @param a [d][D]
     * @param b [d'][D]
     * @return min(rank a, rank b) angles in degrees, ascending; empty if either matrix is zero
     */
    public static double[] degrees(double[][] a, double[][] b) {
        if (a.length == 0 || b.length == 0 || a[0].length != b[0].length)
            throw new IllegalArgumentException("principal angles need two non-empty matrices of equal width, got ["
                    + a.length + ", " + (a.length == 0 ? 0 : a[0].length) + "] and [" + b.length + ", "
                    + (b.length == 0 ? 0 : b[0].length) + "]");
        RealMatrix qa = rowSpaceBasis(a); // [D, ra]
        RealMatrix qb = rowSpaceBasis(b); // [D, rb]
        if (qa == null || qb == null) return new double[0];
        double[] sigma = new SingularValueDecomposition(qa.transpose().multiply(qb)).getSingularValues(); // descending
        int m = Math.min(qa.getColumnDimension(), qb.getColumnDimension());
        double[] angles = new double[m];
        for (int i = 0; i < m; i++) {
            double c = Math.max(-1.0, Math.min(1.0, sigma[i]));
            angles[i] = Math.toDegrees(Math.acos(c));
        }
        return angles;
    }

    /** Orthonormal basis of the row space of w as columns, [D, rank]; null when w is zero. */
    static RealMatrix rowSpaceBasis(double[][] w) {
        RealMatrix wt = new Array2DRowRealMatrix(w, true).transpose(); // [D, d]
        SingularValueDecomposition svd = new SingularValueDecomposition(wt);
        double[] s = svd.getSingularValues();
        double tolerance = Math.max(wt.getRowDimension(), wt.getColumnDimension()) * Math.ulp(1.0) * s[0];
        int rank = 0;
        while (rank < s.length && s[rank] > tolerance) rank++;
        if (rank == 0) return null;
        return svd.getU().getSubMatrix(0, wt.getRowDimension() - 1, 0, rank - 1);
    }
}
