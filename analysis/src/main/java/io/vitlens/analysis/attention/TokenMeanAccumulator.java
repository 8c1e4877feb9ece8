package io.vitlens.analysis.attention;

/**
 * Running mean over images of the token representations entering one block: x-bar_i^l of claim
 * C5. Only patch tokens 1..N are kept (LN1 and the Q/K projections act on each token alone, so
 * the CLS row is not needed).
 */
public final class TokenMeanAccumulator {

    private final int tokens;
    private final int width;
    private final double[] sum; // [N*D] patch tokens only
    private long images;

    /**
     * @param tokens T = N + 1
     * @param width  D
     */
    public TokenMeanAccumulator(int tokens, int width) {
        this.tokens = tokens;
        this.width = width;
        this.sum = new double[(tokens - 1) * width];
    }

    /** @param x a batch of block inputs, [B, T, D] flattened row-major */
    public void add(float[] x, int batch) {
        long expected = (long) batch * tokens * width;
        if (x.length != expected)
            throw new IllegalArgumentException("block input: " + x.length + " values, expected B*T*D = " + batch + "*"
                    + tokens + "*" + width + " = " + expected);
        for (int b = 0; b < batch; b++) {
            int base = (b * tokens + 1) * width; // skip CLS at token 0
            for (int e = 0; e < sum.length; e++) sum[e] += x[base + e];
        }
        images += batch;
    }

    /** x-bar, [N][D]. */
    public double[][] mean() {
        if (images == 0) throw new IllegalStateException("no block inputs were added");
        int n = tokens - 1;
        double[][] m = new double[n][width];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < width; c++) m[i][c] = sum[i * width + c] / images;
        return m;
    }
}
