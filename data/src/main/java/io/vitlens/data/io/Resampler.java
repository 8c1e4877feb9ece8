package io.vitlens.data.io;

/**
 * Resizes a square image side m to side S, separably: area averaging when shrinking (each output pixel
 * is the exact coverage-weighted mean of the input pixels it covers, as OpenCV INTER_AREA, so thin
 * structures are not aliased away) and bilinear interpolation with half-pixel centres when enlarging.
 * Weights are precomputed once per (m, S).
 */
final class Resampler {
    private final int in;
    private final int out;
    private final int[][] src;       // [S][taps]: source indices of each output pixel
    private final float[][] weight;  // [S][taps]: their weights, summing to 1

    Resampler(int in, int out) {
        this.in = in;
        this.out = out;
        this.src = new int[out][];
        this.weight = new float[out][];
        if (in >= out) areaWeights();
        else bilinearWeights();
    }

    int inputSize() { return in; }

    private void areaWeights() {
        double scale = (double) in / out;   // input pixels per output pixel
        for (int o = 0; o < out; o++) {
            double lo = o * scale, hi = (o + 1) * scale;
            int first = (int) Math.floor(lo), last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
            int taps = last - first + 1;
            src[o] = new int[taps];
            weight[o] = new float[taps];
            for (int t = 0; t < taps; t++) {
                int i = first + t;
                double cover = Math.min(hi, i + 1) - Math.max(lo, i);
                src[o][t] = i;
                weight[o][t] = (float) (cover / scale);
            }
        }
    }

    private void bilinearWeights() {
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double x = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
            int x0 = (int) Math.floor(x), x1 = Math.min(in - 1, x0 + 1);
            double f = x - x0;
            src[o] = new int[]{x0, x1};
            weight[o] = new float[]{(float) (1 - f), (float) f};
        }
    }

    /**
     * Resizes the m x m window at (x0, y0) of one channel of an interleaved image.
     *
     * @param pixels  interleaved uint8 [H, W, bands]
     * @param width   W
     * @param bands   samples per pixel
     * @param band    which sample to read
     * @param tmp     scratch of at least m*S floats
     * @param dst     output uint8 plane [S, S] written at {@code dstOff}
     */
    void resize(byte[] pixels, int width, int bands, int band, int x0, int y0, float[] tmp, byte[] dst, int dstOff) {
        // horizontal pass: [m rows, S cols]
        for (int y = 0; y < in; y++) {
            int row = ((y0 + y) * width + x0) * bands + band;
            for (int o = 0; o < out; o++) {
                int[] s = src[o];
                float[] w = weight[o];
                float acc = 0;
                for (int t = 0; t < s.length; t++) acc += w[t] * (pixels[row + s[t] * bands] & 0xFF);
                tmp[y * out + o] = acc;
            }
        }
        // vertical pass: [S, S]
        for (int o = 0; o < out; o++) {
            int[] s = src[o];
            float[] w = weight[o];
            for (int x = 0; x < out; x++) {
                float acc = 0;
                for (int t = 0; t < s.length; t++) acc += w[t] * tmp[s[t] * out + x];
                int v = Math.round(acc);
                dst[dstOff + o * out + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
    }
}
