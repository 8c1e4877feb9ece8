package io.vitlens.analysis.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * PCA of a set of row vectors and leave-one-out regression of a target on the first k principal
 * components (claim C2).
 *
 * <p>With X the centred data [N, D] and X = U S V^T its SVD, the PC scores are U_m s_m. A least
 * squares fit with intercept on the first k scores projects onto span{1, U_1..U_k}; because X is
 * centred, every U_m with s_m &gt; 0 is orthogonal to 1, so the hat matrix diagonal is
 * h_ii = 1/N + sum_{m&lt;k} U_im^2 and the LOO residual of point i is exactly e_i / (1 - h_ii)
 * (PRESS identity for OLS). Components whose singular value is numerically zero span nothing
 * and are left out, as a pseudo-inverse least-squares solver would.
 */
public final class LooPcaRegression {

    private final int n;
    private final int k;
    private final double[][] basis;     // [k'][N] the used columns U_m (s_m > tolerance)
    private final double[] leverage;    // [N] h_ii
    private final double[] varianceShare; // [k]
    private final double[][] scores;    // [k][N]

    /**
     * @param rows       data, N rows of equal length D (not yet centred)
     * @param components k, the number of leading components to use (1 &lt;= k &lt;= N - 2)
     */
    public LooPcaRegression(double[][] rows, int components) {
        n = rows.length;
        if (n < 3) throw new IllegalArgumentException("PCA regression needs at least 3 rows, got " + n);
        if (components < 1 || components > n - 2)
            throw new IllegalArgumentException("components: " + components + " is outside [1, N - 2] for N = " + n);
        k = components;
        int dims = rows[0].length;
        double[][] centred = new double[n][dims];
        for (int c = 0; c < dims; c++) {
            double mean = 0;
            for (double[] row : rows) mean += row[c];
            mean /= n;
            for (int i = 0; i < n; i++) centred[i][c] = rows[i][c] - mean;
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(centred, false));
        double[] s = svd.getSingularValues(); // descending, length min(N, D)
        RealMatrix u = svd.getU();             // [N, min(N, D)]
        double total = 0;
        for (double v : s) total += v * v;
        double tolerance = Math.max(n, dims) * Math.ulp(1.0) * (s.length == 0 ? 0 : s[0]);

        varianceShare = new double[k];
        scores = new double[k][n];
        int used = 0;
        for (int m = 0; m < k && m < s.length; m++) if (s[m] > tolerance) used++;
        basis = new double[used][];
        for (int m = 0; m < k && m < s.length; m++) {
            varianceShare[m] = total > 0 ? s[m] * s[m] / total : Double.NaN;
            double[] column = u.getColumn(m);
            for (int i = 0; i < n; i++) scores[m][i] = column[i] * s[m];
            if (m < used) basis[m] = column;
        }
        leverage = new double[n];
        for (int i = 0; i < n; i++) {
            double h = 1.0 / n;
            for (double[] b : basis) h += b[i] * b[i];
            leverage[i] = h;
        }
    }

    /** Share of the total variance carried by each of the first k components (0 beyond the data's rank). */
    public double[] varianceShare() { return varianceShare.clone(); }

    /** PC scores, [k][N]. */
    public double[][] scores() {
        double[][] c = new double[k][];
        for (int m = 0; m < k; m++) c[m] = scores[m].clone();
        return c;
    }

    /**
     * Leave-one-out R^2 = 1 - PRESS / sum (y - mean y)^2 of the OLS fit of y on an intercept and the
     * first k PC scores; NaN when y is constant or a point has leverage 1.
     */
    public double looR2(double[] y) {
        if (y.length != n) throw new IllegalArgumentException("target length " + y.length + " != rows " + n);
        double mean = 0;
        for (double v : y) mean += v;
        mean /= n;
        double[] residual = new double[n];
        double ssTot = 0;
        for (int i = 0; i < n; i++) {
            residual[i] = y[i] - mean;
            ssTot += residual[i] * residual[i];
        }
        for (double[] b : basis) { // remove the projection on each orthonormal U_m
            double dot = 0;
            for (int i = 0; i < n; i++) dot += b[i] * (y[i] - mean);
            for (int i = 0; i < n; i++) residual[i] -= dot * b[i];
        }
        double press = 0;
        for (int i = 0; i < n; i++) {
            double denom = 1 - leverage[i];
            if (denom <= 1e-12) return Double.NaN;
            double loo = residual[i] / denom;
            press += loo * loo;
        }
        return ssTot > 0 ? 1 - press / ssTot : Double.NaN;
    }
}
