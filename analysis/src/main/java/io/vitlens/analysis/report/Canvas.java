package io.vitlens.analysis.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** The house start of a figure drawn with java.awt: a white RGB image with its title, ready for small text. */
final class Canvas {

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private Canvas() { }

    /** A white {@code width} x {@code height} image; returns its graphics with the title drawn at (x, y), black, SMALL font. */
    static Graphics2D titled(BufferedImage img, String title, int x, int y) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, x, y);
        g.setFont(SMALL);
        return g;
    }

    static BufferedImage image(int width, int height) { return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB); }
}
