package io.vitlens.analysis.report;

import io.vitlens.analysis.trajectory.Trajectory;
import io.vitlens.analysis.trajectory.TrajectoryRow;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every head's C6 type at every analysed checkpoint as one picture: a row per head (L0H0 at the top), a column
 * per checkpoint, the cell coloured by type. Which heads became local, row or column, and from when, reads off
 * it at a glance (issue #18). Drawn with java.awt: a categorical grid, not a chart.
 */
final class HeadTypeTimeline {

    /** One colour per type of the taxonomy, in {@link io.vitlens.analysis.HeadTypeRules#ORDER}'s order. */
    static final List<Color> TYPE_COLOURS = List.of(
            new Color(0xCC79A7),  // cls
            new Color(0xD55E00),  // horizontal
            new Color(0xE69F00),  // vertical
            new Color(0x009E73),  // local
            new Color(0xC8C8C8),  // global
            new Color(0x0072B2),  // content
            new Color(0x56B4E9)); // mixed
    static final Color UNKNOWN = Color.WHITE;

    static final int CELL_H = 14, LEFT = 48, TOP = 30, LEGEND_W = 110, BOTTOM = 34;

    private HeadTypeTimeline() { }

    /** Width of one checkpoint's column: about 560 px in all, at least 4 px each. */
    static int cellWidth(int checkpoints) { return Math.max(4, Math.min(40, 560 / Math.max(1, checkpoints))); }

    /** The heads in the order of the rows: every key seen in any checkpoint, first-seen order (layer, then head). */
    static List<String> heads(Trajectory t) {
        LinkedHashSet<String> heads = new LinkedHashSet<>();
        for (TrajectoryRow r : t.rows()) if (r.headTypeByHead() != null) heads.addAll(r.headTypeByHead().keySet());
        return new ArrayList<>(heads);
    }

    static Color colour(Trajectory t, String type) {
        int i = type == null ? -1 : t.headTypes().indexOf(type);
        return i < 0 ? UNKNOWN : TYPE_COLOURS.get(i % TYPE_COLOURS.size());
    }

    static BufferedImage render(Trajectory t) {
        List<String> heads = heads(t);
        List<TrajectoryRow> rows = t.rows();
        int cw = cellWidth(rows.size());
        int gridW = cw * rows.size(), gridH = CELL_H * heads.size();
        int width = LEFT + gridW + 16 + LEGEND_W, height = TOP + Math.max(gridH, 16 * t.headTypes().size()) + BOTTOM;
        BufferedImage img = Canvas.image(width, height);
        Graphics2D g = Canvas.titled(img, "C6 type of every head over training", LEFT, 18);
        FontMetrics fm = g.getFontMetrics();
        for (int y = 0; y < heads.size(); y++) {
            String h = heads.get(y);
            g.setColor(Color.BLACK);
            g.drawString(h, LEFT - 6 - fm.stringWidth(h), TOP + y * CELL_H + CELL_H - 3);
            for (int x = 0; x < rows.size(); x++) {
                TrajectoryRow r = rows.get(x);
                g.setColor(colour(t, r.headTypeByHead() == null ? null : r.headTypeByHead().get(h)));
                g.fillRect(LEFT + x * cw, TOP + y * CELL_H, cw, CELL_H);
            }
        }
        // thin white lines between layers (4 heads a layer in the tiny model; read from the labels)
        g.setColor(Color.WHITE);
        for (int y = 1; y < heads.size(); y++)
            if (!heads.get(y).replaceAll("H\\d+$", "").equals(heads.get(y - 1).replaceAll("H\\d+$", "")))
                g.fillRect(LEFT, TOP + y * CELL_H - 1, gridW, 2);
        // epoch labels: first, last, and about every 60 px
        g.setColor(Color.BLACK);
        int every = Math.max(1, (int) Math.ceil(60.0 / cw));
        for (int x = 0; x < rows.size(); x++) {
            if (x % every != 0 && x != rows.size() - 1) continue;
            String e = Integer.toString(rows.get(x).epoch());
            g.drawString(e, LEFT + x * cw + cw / 2 - fm.stringWidth(e) / 2, TOP + gridH + 12);
        }
        g.drawString("epoch", LEFT + gridW / 2 - fm.stringWidth("epoch") / 2, TOP + gridH + 26);
        int lx = LEFT + gridW + 16;
        for (int i = 0; i < t.headTypes().size(); i++) {
            g.setColor(colour(t, t.headTypes().get(i)));
            g.fillRect(lx, TOP + i * 16, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(t.headTypes().get(i), lx + 18, TOP + i * 16 + 10);
        }
        g.dispose();
        return img;
    }
}
