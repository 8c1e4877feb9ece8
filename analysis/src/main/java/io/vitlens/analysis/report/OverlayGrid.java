package io.vitlens.analysis.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Paints attention maps over their image: each map (one value per patch on the g x g grid) is
 * upsampled to the image by nearest neighbour, so every patch stays a visible P x P block rather
 * than a smooth blur that would claim a finer resolution than the model has, coloured with viridis
 * on the panel's own range [0, max], and alpha-blended over the image.
 */
final class OverlayGrid {

    /** Alpha of the map over the image: enough to read the map, little enough to see the object. */
    static final double ALPHA = 0.6;
    private static final int PANEL = 96;

    /**
     * @param rgb     [S][S] the image (0xRRGGBB)
     * @param map     [N] values on the patch grid, or null for the bare image
     * @param caption text above the panel, or null (a map panel defaults to "max v")
     * @param outline a patch {row, col} outlined in red, or null
     */
    record Panel(int[][] rgb, double[] map, String caption, int[] outline) { }

    private OverlayGrid() { }

    /**
     * @param panels [rows][cols], null = empty slot
     * @param g      grid side
     */
    static BufferedImage render(String title, Panel[][] panels, List<String> rowLabels, List<String> colLabels, int g) {
        int rows = panels.length, cols = panels[0].length;
        int left = rowLabels != null ? 56 : 8, top = 24 + (colLabels != null ? 14 : 0), caption = 12, gap = 6;
        int gridW = cols * (PANEL + gap), gridH = rows * (PANEL + caption + gap);
        int barW = 120, barH = Math.max(90, Math.min(gridH - 20, 200));
        int width = Math.max(left + gridW + barW, 420);
        int height = Math.max(top + gridH + 8, top + caption + barH + 14 + 12 * 4); // the bar's four caption lines
        BufferedImage img = Canvas.image(width, height);
        Graphics2D gr = Canvas.titled(img, title, 8, 16);
        FontMetrics fm = gr.getFontMetrics();
        if (colLabels != null)
            for (int c = 0; c < cols; c++)
                gr.drawString(colLabels.get(c), left + c * (PANEL + gap) + (PANEL - fm.stringWidth(colLabels.get(c))) / 2, top - 4);
        for (int r = 0; r < rows; r++) {
            int y0 = top + r * (PANEL + caption + gap);
            if (rowLabels != null) {
                gr.setColor(Color.BLACK);
                gr.drawString(rowLabels.get(r), 4, y0 + caption + PANEL / 2 + 4);
            }
            for (int c = 0; c < cols; c++) {
                Panel p = panels[r][c];
                if (p == null) continue;
                int x0 = left + c * (PANEL + gap);
                String text = p.caption() != null ? p.caption() : p.map() != null ? "max " + PanelGrid.fmt(max(p.map())) : null;
                if (text != null) {
                    gr.setColor(Color.DARK_GRAY);
                    gr.setClip(x0, y0, PANEL + gap - 1, caption);
                    gr.drawString(text, x0, y0 + 10);
                    gr.setClip(null);
                }
                BufferedImage panel = panel(p, g);
                gr.drawImage(panel, x0, y0 + caption, null);
                if (p.outline() != null) {
                    double cell = PANEL / (double) g;
                    gr.setColor(Color.RED);
                    gr.setStroke(new BasicStroke(2f));
                    gr.drawRect(x0 + (int) Math.round(p.outline()[1] * cell), y0 + caption + (int) Math.round(p.outline()[0] * cell),
                            (int) Math.round(cell) - 1, (int) Math.round(cell) - 1);
                    gr.setStroke(new BasicStroke(1f));
                }
            }
        }
        colourBar(gr, left + gridW + 14, top + caption, barH);
        gr.dispose();
        return img;
    }

    /** One PANEL x PANEL panel: the image, with the map blended over it when there is one. */
    static BufferedImage panel(Panel p, int g) {
        int s = p.rgb().length;
        double hi = p.map() == null ? 0 : max(p.map());
        BufferedImage out = new BufferedImage(PANEL, PANEL, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < PANEL; y++)
            for (int x = 0; x < PANEL; x++) {
                int sy = y * s / PANEL, sx = x * s / PANEL; // nearest image pixel
                int base = p.rgb()[sy][sx];
                if (p.map() == null) { out.setRGB(x, y, base); continue; }
                double v = p.map()[(sy * g / s) * g + sx * g / s]; // the patch that pixel lies in
                out.setRGB(x, y, blend(base, Viridis.rgb(hi > 0 ? v / hi : 0), ALPHA));
            }
        return out;
    }

    /** (1 - alpha) base + alpha over, per channel, rounded. */
    static int blend(int base, int over, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = base >> shift & 0xff, b = over >> shift & 0xff;
            out |= (int) Math.round((1 - alpha) * a + alpha * b) << shift;
        }
        return out;
    }

    static double max(double[] v) {
        double m = 0;
        for (double x : v) if (Double.isFinite(x)) m = Math.max(m, x);
        return m;
    }

    private static void colourBar(Graphics2D g, int x, int y, int h) {
        for (int i = 0; i < h; i++) {
            g.setColor(new Color(Viridis.rgb(1.0 - (double) i / (h - 1))));
            g.fillRect(x, y + i, 14, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, y, 14, h);
        for (int k = 0; k <= 4; k++) {
            int yy = y + (int) Math.round((h - 1) * k / 4.0);
            g.drawLine(x + 14, yy, x + 17, yy);
            g.drawString(PanelGrid.fmt(1 - k / 4.0), x + 19, yy + 4);
        }
        String[] lines = {"value / panel max", "(caption: max);", "blended " + Math.round(ALPHA * 100) + "%", "over the image"};
        for (int i = 0; i < lines.length; i++) g.drawString(lines[i], x - 4, y + h + 14 + 12 * i);
    }
}
