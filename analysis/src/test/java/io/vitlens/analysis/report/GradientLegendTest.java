package io.vitlens.analysis.report;

import io.vitlens.analysis.GradientFlowStats;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient-norm legend (29 groups for a depth-9 ViT) must show its last entry and its bottom border. */
class GradientLegendTest {

    private static final int BORDER = 0xC0C0C0; // Color.LIGHT_GRAY, the legend's border in Charts

    /** Rows (in the right half of the image) holding a horizontal run of >= 40 border pixels: the legend's top and bottom. */
    static List<Integer> legendBorderRows(BufferedImage img) {
        List<Integer> rows = new ArrayList<>();
        for (int y = 0; y < img.getHeight(); y++) {
            int run = 0, best = 0;
            for (int x = img.getWidth() / 2; x < img.getWidth(); x++) {
                run = (img.getRGB(x, y) & 0xffffff) == BORDER ? run + 1 : 0;
                best = Math.max(best, run);
            }
            if (best >= 40) rows.add(y);
        }
        return rows;
    }

    static BufferedImage chart(int groups) throws Exception {
        Map<String, List<Double>> norms = new LinkedHashMap<>();
        for (int g = 0; g < groups; g++) norms.put("blocks." + g / 3 + ".attn." + "qkv".charAt(g % 3), List.of(0.1 + g, 0.2 + g, 0.3 + g));
        GradientFlowStats s = new GradientFlowStats("m", List.of(1, 2, 3), norms, 1e-8, List.of(), List.of(), List.of());
        return ImageIO.read(new ByteArrayInputStream(FigureRenderer.gradientNormsPng(s)));
    }

    @Test
    void twentyNineGroupsFitTheLegend() throws Exception {
        for (int groups : new int[]{5, 29, 45}) {
            BufferedImage img = chart(groups);
            List<Integer> rows = legendBorderRows(img);
            assertTrue(rows.size() >= 2, groups + " groups: legend has no bottom border (cut off?), rows " + rows);
            int bottom = rows.get(rows.size() - 1);
            assertTrue(bottom < img.getHeight() - 2, groups + " groups: legend bottom at " + bottom + " of " + img.getHeight());
        }
    }

    @Test
    void theCheckNoticesACutOffLegend() throws Exception {
        // negative control: 29 groups at the old fixed height of 420 px
        var chart = Charts.chart("t", "x", "y", 760, 420);
        List<Charts.Series> s = new ArrayList<>();
        for (int g = 0; g < 29; g++) s.add(new Charts.Series("group " + g, new double[]{1, 2}, new double[]{g + 1, g + 2}, Charts.palette(g), true, true));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.png(chart, s)));
        List<Integer> rows = legendBorderRows(img);
        assertTrue(rows.size() < 2 || rows.get(rows.size() - 1) >= img.getHeight() - 2, "expected a cut-off legend, rows " + rows);
    }
}
