package io.vitlens.analysis.report;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Nearest-neighbour upsampling of a patch map and its blend over the image, against hand-computed pixels. */
class OverlayGridTest {

    @Test
    void blendIsSixtyPercentMapOverFortyPercentImage() {
        // viridis(1) = 0xfde725 over black: 0.6 * (253, 231, 37) = (151.8, 138.6, 22.2) -> (152, 139, 22)
        assertEquals(0x988b16, OverlayGrid.blend(0x000000, 0xfde725, 0.6));
        // over white: 0.4 * 255 + 0.6 * (253, 231, 37) = (253.8, 240.6, 124.2) -> (254, 241, 124)
        assertEquals(0xfef17c, OverlayGrid.blend(0xffffff, 0xfde725, 0.6));
    }

    @Test
    void everyPixelTakesTheValueOfThePatchItLiesIn() {
        // a 2 x 2 grid on a 4 x 4 black image; only the top-right patch (index 1) has mass
        int[][] black = new int[4][4];
        double[] map = {0, 1, 0, 0};
        BufferedImage p = OverlayGrid.panel(new OverlayGrid.Panel(black, map, null, null), 2);
        int w = p.getWidth(), hot = 0x988b16, cold = OverlayGrid.blend(0, 0x440154, 0.6); // viridis(1) and viridis(0)
        for (int y = 0; y < w; y++)
            for (int x = 0; x < w; x++) {
                boolean topRight = y < w / 2 && x >= w / 2;
                assertEquals(topRight ? hot : cold, p.getRGB(x, y) & 0xffffff, "pixel (" + x + ", " + y + ")");
            }
    }

    @Test
    void withoutAMapThePanelIsTheImageScaledByNearestNeighbour() {
        int[][] img = {{0x112233, 0x445566}, {0x778899, 0xaabbcc}};
        BufferedImage p = OverlayGrid.panel(new OverlayGrid.Panel(img, null, null, null), 1);
        int w = p.getWidth();
        assertEquals(0x112233, p.getRGB(0, 0) & 0xffffff);
        assertEquals(0x445566, p.getRGB(w - 1, 0) & 0xffffff);
        assertEquals(0x778899, p.getRGB(0, w - 1) & 0xffffff);
        assertEquals(0xaabbcc, p.getRGB(w - 1, w - 1) & 0xffffff);
    }
}
