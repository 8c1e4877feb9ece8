package io.vitlens.analysis.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Paints a grid of small heat maps (e.g. one per layer x head, or one per query patch) with the
 * viridis map and a colour bar. Drawn directly with java.awt so that hundreds of tiny maps stay
 * one small PNG.
 *
 * <p>Two scales: {@link Scale#SHARED} maps every panel through [lo, hi]; {@link Scale#PER_PANEL}
 * maps each panel through its own [min, max] (or [-max|v|, max|v|] when {@code symmetric}), so a
 * nearly uniform map still shows its pattern; the colour bar then reads as the position within the
 * panel's own range, printed in its caption.
 */
public final class PanelGrid {

    public enum Scale { SHARED, PER_PANEL }

    /**
     * @param title       figure title
     * @param panels      [rows][cols] of matrices [h][w] (all the same size); null = empty slot
     * @param rowLabels   one per panel row (may be null)
     * @param colLabels   one per panel column (may be null)
     * @param scale       shared or per-panel colour scale
     * @param lo          lower end of the shared scale
     * @param hi          upper end of the shared scale
     * @param symmetric   per-panel scale symmetric around 0
     * @param barLabel    colour-bar caption
     * @param markCentre  outline the centre cell of each panel (the (0, 0) offset / the query patch)
     * @param centres     optional per-panel highlighted cell as {row, col}, or null
     * @param captions    optional per-panel caption [rows][cols]; per-panel scales default to "max v"
     */
    public record Spec(String title, double[][][][] panels, List<String> rowLabels, List<String> colLabels,
                       Scale scale, double lo, double hi, boolean symmetric, String barLabel, boolean markCentre,
                       int[][][] centres, String[][] captions) { }

    private static final int TARGET_WIDTH = 720;
    private static final int TARGET_HEIGHT = 880;

    private PanelGrid() { }

    public static BufferedImage render(Spec s) {
        int rows = s.panels().length, cols = s.panels()[0].length;
        double[][] first = firstPanel(s.panels());
        int ph = first.length, pw = first[0].length;
        boolean titled = s.scale() == Scale.PER_PANEL || s.captions() != null;
        int panelTitle = titled ? 12 : 0;
        int left = s.rowLabels() != null ? 56 : 8;
        int top = 24 + (s.colLabels() != null ? 14 : 0);
        int byWidth = TARGET_WIDTH / (cols * pw + cols);
        int byHeight = (TARGET_HEIGHT - top - rows * (panelTitle + 4)) / (rows * ph);
        int cell = Math.max(1, Math.min(24, Math.min(byWidth, byHeight)));
        int gap = Math.max(2, cell / 2);
        int gridW = cols * (pw * cell + gap), gridH = rows * (ph * cell + gap + panelTitle);
        int barW = 112;
        int barH = Math.max(100, Math.min(gridH - 8, 240));
        int width = left + gridW + barW, height = Math.max(top + gridH + 8, top + 4 + barH + 50);

        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.titled(img, s.title(), 8, 16);
        FontMetrics fm = g.getFontMetrics();
        if (s.colLabels() != null)
            for (int c = 0; c < cols; c++) {
                String label = s.colLabels().get(c);
                int x = left + c * (pw * cell + gap) + (pw * cell - fm.stringWidth(label)) / 2;
                g.drawString(label, x, top - 4);
            }
        for (int r = 0; r < rows; r++) {
            int y0 = top + r * (ph * cell + gap + panelTitle);
            if (s.rowLabels() != null) {
                g.setColor(Color.BLACK);
                g.drawString(s.rowLabels().get(r), 4, y0 + panelTitle + ph * cell / 2 + 4);
            }
            for (int c = 0; c < cols; c++) {
                double[][] m = s.panels()[r][c];
                if (m == null) continue;
                int x0 = left + c * (pw * cell + gap);
                double[] range = range(s, m);
                if (titled) {
                    String caption = s.captions() != null ? s.captions()[r][c] : null;
                    if (caption == null && s.scale() == Scale.PER_PANEL) caption = fmt(range[0]) + ".." + fmt(range[1]);
                    g.setColor(Color.DARK_GRAY);
                    if (caption != null) { // clipped to the panel so neighbours stay readable
                        g.setClip(x0, y0, pw * cell + gap - 1, panelTitle);
                        g.drawString(caption, x0, y0 + 10);
                        g.setClip(null);
                    }
                }
                int yy = y0 + panelTitle;
                for (int i = 0; i < ph; i++)
                    for (int j = 0; j < pw; j++) {
                        double t = (m[i][j] - range[0]) / (range[1] - range[0]);
                        g.setColor(new Color(Viridis.rgb(range[1] > range[0] ? t : 0.5)));
                        g.fillRect(x0 + j * cell, yy + i * cell, cell, cell);
                    }
                if (s.markCentre() && cell >= 3) outline(g, x0 + (pw / 2) * cell, yy + (ph / 2) * cell, cell);
                if (s.centres() != null && s.centres()[r][c] != null && cell >= 3)
                    outline(g, x0 + s.centres()[r][c][1] * cell, yy + s.centres()[r][c][0] * cell, cell);
            }
        }
        colourBar(g, s, left + gridW + 14, top + 4, barH);
        g.dispose();
        return img;
    }

    private static void outline(Graphics2D g, int x, int y, int cell) {
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y, cell - 1, cell - 1);
    }

    private static void colourBar(Graphics2D g, Spec s, int x, int y, int h) {
        double lo, hi;
        if (s.scale() == Scale.SHARED) { lo = s.lo(); hi = s.hi(); }
        else { lo = s.symmetric() ? -1 : 0; hi = 1; }
        for (int i = 0; i < h; i++) {
            g.setColor(new Color(Viridis.rgb(1.0 - (double) i / (h - 1))));
            g.fillRect(x, y + i, 14, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, y, 14, h);
        g.setFont(Canvas.SMALL);
        for (int k = 0; k <= 4; k++) {
            double v = hi - (hi - lo) * k / 4.0;
            int yy = y + (int) Math.round((h - 1) * k / 4.0);
            g.drawLine(x + 14, yy, x + 17, yy);
            g.drawString(fmt(v), x + 19, yy + 4);
        }
        drawWrapped(g, s.barLabel(), x - 4, y + h + 14, 104);
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
        FontMetrics fm = g.getFontMetrics();
        StringBuilder line = new StringBuilder();
        for (String w : text.split(" ")) {
            if (line.length() > 0 && fm.stringWidth(line + " " + w) > width) {
                g.drawString(line.toString(), x, y);
                y += 12;
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(w);
        }
        if (line.length() > 0) g.drawString(line.toString(), x, y);
    }

    private static double[] range(Spec s, double[][] m) {
        if (s.scale() == Scale.SHARED) return new double[]{s.lo(), s.hi()};
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] row : m)
            for (double v : row)
                if (Double.isFinite(v)) {
                    min = Math.min(min, s.symmetric() ? -Math.abs(v) : v);
                    max = Math.max(max, s.symmetric() ? Math.abs(v) : v);
                }
        if (!(max > min)) return new double[]{min - 1, min + 1}; // constant (or empty) panel: mid colour
        return s.symmetric() ? new double[]{-max, max} : new double[]{min, max};
    }

    private static double[][] firstPanel(double[][][][] panels) {
        for (double[][][] row : panels)
            for (double[][] p : row) if (p != null) return p;
        throw new IllegalArgumentException("panel grid: every panel is empty");
    }

    /** Three significant digits, compact. */
    static String fmt(double v) {
        if (v == 0) return "0";
        if (Math.abs(v) >= 1000 || Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.2e", v);
        String t = String.format(Locale.ROOT, "%.3g", v);
        return t.contains(".") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t;
    }
}
