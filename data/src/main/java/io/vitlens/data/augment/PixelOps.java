package io.vitlens.data.augment;

/**
 * Photometric and affine operations on one uint8 image [C, S, S], following the PIL functions
 * RandAugment was defined with (ImageOps.autocontrast/equalize/posterize/solarize, ImageEnhance.*).
 * All work in place on {@code img}; {@code scratch} is a buffer of the same length.
 */
public final class PixelOps {
    /** Fill value of pixels an affine transform moves in from outside (PIL/timm use a grey). */
    static final int FILL = 128;

    private PixelOps() {}

    /** Per channel, stretches [min, max] to [0, 255]; a constant channel is left alone. */
    public static void autoContrast(byte[] img, int channels, int size) {
        int plane = size * size;
        for (int c = 0; c < channels; c++) {
            int lo = 255, hi = 0;
            for (int p = c * plane, e = p + plane; p < e; p++) {
                int v = img[p] & 0xFF;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (hi <= lo) continue;
            double scale = 255.0 / (hi - lo);
            for (int p = c * plane, e = p + plane; p < e; p++)
                img[p] = (byte) Math.round(((img[p] & 0xFF) - lo) * scale);
        }
    }

    /** Per-channel histogram equalisation with PIL's lookup table (ImageOps.equalize). */
    public static void equalize(byte[] img, int channels, int size) {
        int plane = size * size;
        int[] hist = new int[256];
        int[] lut = new int[256];
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(hist, 0);
            for (int p = c * plane, e = p + plane; p < e; p++) hist[img[p] & 0xFF]++;
            int last = 255;
            while (hist[last] == 0) last--;
            int step = (plane - hist[last]) / 255;
            if (step == 0) continue;   // (almost) one value: PIL leaves the channel unchanged
            int n = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, n / step);
                n += hist[v];
            }
            for (int p = c * plane, e = p + plane; p < e; p++) img[p] = (byte) lut[img[p] & 0xFF];
        }
    }

    public static void invert(byte[] img) {
        for (int p = 0; p < img.length; p++) img[p] = (byte) (255 - (img[p] & 0xFF));
    }

    /** Keeps the top {@code bits} bits of every value. */
    public static void posterize(byte[] img, int bits) {
        int mask = (0xFF << (8 - bits)) & 0xFF;
        for (int p = 0; p < img.length; p++) img[p] = (byte) (img[p] & mask);
    }

    /** Inverts every value >= threshold. */
    public static void solarize(byte[] img, int threshold) {
        for (int p = 0; p < img.length; p++) {
            int v = img[p] & 0xFF;
            if (v >= threshold) img[p] = (byte) (255 - v);
        }
    }

    /** Adds {@code add} to every value below 128, saturating at 255. */
    public static void solarizeAdd(byte[] img, int add) {
        for (int p = 0; p < img.length; p++) {
            int v = img[p] & 0xFF;
            if (v < 128) img[p] = (byte) Math.min(255, v + add);
        }
    }

    /** PIL ImageEnhance.Brightness: blend with black. */
    public static void brightness(byte[] img, double factor) {
        for (int p = 0; p < img.length; p++) img[p] = clamp((img[p] & 0xFF) * factor);
    }

    /** PIL ImageEnhance.Contrast: blend with the mean grey level of the image. */
    public static void contrast(byte[] img, int channels, int size, double factor) {
        int plane = size * size;
        double mean = 0;
        for (int p = 0; p < plane; p++) mean += luma(img, channels, plane, p);
        int degenerate = (int) (mean / plane + 0.5);
        for (int p = 0; p < img.length; p++) img[p] = clamp(degenerate + factor * ((img[p] & 0xFF) - degenerate));
    }

    /** PIL ImageEnhance.Color: blend with the grey (ITU-R 601 luma) version; no-op for one channel. */
    public static void color(byte[] img, int channels, int size, double factor) {
        if (channels < 3) return;
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            double g = luma(img, channels, plane, p);
            for (int c = 0; c < channels; c++) {
                int i = c * plane + p;
                img[i] = clamp(g + factor * ((img[i] & 0xFF) - g));
            }
        }
    }

    /**
     * PIL ImageEnhance.Sharpness: blend with the image smoothed by the 3x3 kernel
     * [[1,1,1],[1,5,1],[1,1,1]]/13; border pixels are their own degenerate, as in PIL.
     */
    public static void sharpness(byte[] img, byte[] scratch, int channels, int size, double factor) {
        System.arraycopy(img, 0, scratch, 0, img.length);
        for (int c = 0; c < channels; c++) {
            int plane = c * size * size;
            for (int y = 1; y < size - 1; y++)
                for (int x = 1; x < size - 1; x++) {
                    int i = plane + y * size + x;
                    int s = 4 * (scratch[i] & 0xFF);
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++) s += scratch[i + dy * size + dx] & 0xFF;
                    double smooth = s / 13.0;
                    img[i] = clamp(smooth + factor * ((scratch[i] & 0xFF) - smooth));
                }
        }
    }

    /**
     * Resamples the image through the inverse affine map about the image centre: the destination pixel
     * (x, y) takes the bilinear value of the source at (a*x' + b*y' + tx, d*x' + e*y' + ty) + centre,
     * where (x', y') is the destination pixel relative to the centre; outside pixels are {@link #FILL}.
     */
    public static void affine(byte[] img, byte[] scratch, int channels, int size,
                              double a, double b, double tx, double d, double e, double ty) {
        System.arraycopy(img, 0, scratch, 0, img.length);
        double centre = (size - 1) / 2.0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                double xr = x - centre, yr = y - centre;
                double sx = a * xr + b * yr + tx + centre;
                double sy = d * xr + e * yr + ty + centre;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int c = 0; c < channels; c++) {
                    int plane = c * size * size;
                    double v = (1 - fy) * ((1 - fx) * at(scratch, plane, size, x0, y0) + fx * at(scratch, plane, size, x0 + 1, y0))
                            + fy * ((1 - fx) * at(scratch, plane, size, x0, y0 + 1) + fx * at(scratch, plane, size, x0 + 1, y0 + 1));
                    img[plane + y * size + x] = clamp(v);
                }
            }
    }

    private static int at(byte[] img, int plane, int size, int x, int y) {
        if (x < 0 || y < 0 || x >= size || y >= size) return FILL;
        return img[plane + y * size + x] & 0xFF;
    }

    private static double luma(byte[] img, int channels, int plane, int p) {
        if (channels < 3) return img[p] & 0xFF;
        return 0.299 * (img[p] & 0xFF) + 0.587 * (img[plane + p] & 0xFF) + 0.114 * (img[2 * plane + p] & 0xFF);
    }

    static byte clamp(double v) {
        long r = Math.round(v);
        return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
    }
}
