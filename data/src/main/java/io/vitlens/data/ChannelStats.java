package io.vitlens.data;

/**
 * Per-channel mean and standard deviation, in [0,1] units, of a subset of an {@link ImageSet}: the
 * statistics of the normalisation (x/255 - mean) / std. Exact integer sums, so the result does not
 * depend on summation order.
 */
final class ChannelStats {
    private ChannelStats() {}

    /** @return {mean[C], std[C]}; std is floored at 1/255 so a constant channel does not divide by 0 */
    static float[][] of(ImageSet set, int[] indices) {
        int c = set.channels();
        int plane = set.size() * set.size();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        byte[] px = set.pixels();
        for (int i : indices) {
            int base = set.offset(i);
            for (int ch = 0; ch < c; ch++) {
                long s = 0, q = 0;
                int from = base + ch * plane;
                for (int p = from, end = from + plane; p < end; p++) {
                    int v = px[p] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += q;
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double n = (double) indices.length * plane;
        for (int ch = 0; ch < c; ch++) {
            if (n == 0) {
                std[ch] = 1f;
                continue;
            }
            double m = sum[ch] / n;
            double var = Math.max(0, sumSq[ch] / n - m * m);
            mean[ch] = (float) (m / 255.0);
            std[ch] = (float) Math.max(Math.sqrt(var) / 255.0, 1.0 / 255.0);
        }
        return new float[][]{mean, std};
    }
}
