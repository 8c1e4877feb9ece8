package io.vitlens.analysis.report;

/**
 * The viridis colour map (perceptually uniform, readable in grey and by colour-blind readers),
 * as a lookup table: every 8th of the 256 published matplotlib / mpl-colormaps entries (CC0,
 * van der Walt, Smith and Firing) plus the last, linearly interpolated in between.
 */
public final class Viridis {

    private static final int[] STOPS = {
            0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989,
            0x3b528b, 0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e,
            0x21918c, 0x1f988b, 0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b,
            0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b,
            0xfde725,
    };
    /** Position in [0, 255] of each stop: 0, 8, ..., 248, then 255. */
    private static final double[] AT = new double[STOPS.length];

    static {
        for (int k = 0; k < STOPS.length - 1; k++) AT[k] = 8 * k;
        AT[STOPS.length - 1] = 255;
    }

    private Viridis() { }

    /** RGB (0xRRGGBB) of t in [0, 1]; values outside are clamped, NaN gives mid grey. */
    public static int rgb(double t) {
        if (Double.isNaN(t)) return 0x808080;
        double x = Math.max(0, Math.min(1, t)) * 255;
        int k = 0;
        while (k < AT.length - 2 && x > AT[k + 1]) k++;
        double f = (x - AT[k]) / (AT[k + 1] - AT[k]);
        int a = STOPS[k], b = STOPS[k + 1];
        return mix(a >> 16, b >> 16, f) << 16 | mix(a >> 8, b >> 8, f) << 8 | mix(a, b, f);
    }

    private static int mix(int a, int b, double f) {
        a &= 0xff;
        b &= 0xff;
        return (int) Math.round(a + (b - a) * f);
    }
}
