package io.vitlens.analysis.report;

import io.vitlens.analysis.ExampleImage;
import io.vitlens.analysis.ExampleImages;
import io.vitlens.analysis.ModelSummary;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The three PNGs of each example image, under {@code <prefix>/<checkpoint>/examples/}:
 * {@code image-NNNN-cls.png} (CLS attention, layer x [mean of heads, each head]),
 * {@code image-NNNN-rollout.png} (the image and one rollout per head fusion) and
 * {@code image-NNNN-query.png} (each head's attention from the query patch, layer x head).
 */
public final class ExampleFigures {

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ExampleFigures() { }

    /** Writes the figures and returns {@code e} with each image's {@code figures} paths (relative to root). */
    public static ExampleImages render(ExampleImages e, ModelSummary m, Path root, String prefix) throws IOException {
        List<ExampleImage> out = new ArrayList<>(e.images().size());
        String dir = prefix + "/" + FigureRenderer.safe(e.checkpoint()) + "/examples/";
        for (ExampleImage im : e.images()) {
            String stem = dir + String.format(Locale.ROOT, "image-%04d-", im.index());
            Map<String, String> f = new LinkedHashMap<>();
            f.put("cls", write(root, stem + "cls.png", cls(e, im, m)));
            f.put("rollout", write(root, stem + "rollout.png", rollout(e, im, m)));
            f.put("query", write(root, stem + "query.png", query(e, im, m)));
            out.add(im.withFigures(f));
        }
        return e.withImages(out);
    }

    static BufferedImage cls(ExampleImages e, ExampleImage im, ModelSummary m) {
        int[][] px = im.pixels();
        int layers = m.depth(), heads = m.heads();
        OverlayGrid.Panel[][] p = new OverlayGrid.Panel[layers][heads + 2];
        for (int l = 0; l < layers; l++) {
            if (l == 0) p[l][0] = new OverlayGrid.Panel(px, null, "image " + im.index(), null);
            p[l][1] = new OverlayGrid.Panel(px, im.clsAttentionMeanOfHeads()[l], null, null);
            for (int h = 0; h < heads; h++)
                p[l][h + 2] = new OverlayGrid.Panel(px, im.clsAttention()[l][h], null, null);
        }
        List<String> cols = new ArrayList<>(List.of("", "mean of heads"));
        for (int h = 0; h < heads; h++) cols.add("head " + h);
        return OverlayGrid.render("CLS attention on test image " + im.index() + ", " + e.checkpoint(), p, layerLabels(layers),
                cols, m.gridSize());
    }

    static BufferedImage rollout(ExampleImages e, ExampleImage im, ModelSummary m) {
        int[][] px = im.pixels();
        OverlayGrid.Panel[][] p = new OverlayGrid.Panel[1][1 + im.rollout().size()];
        List<String> cols = new ArrayList<>(List.of("image " + im.index()));
        p[0][0] = new OverlayGrid.Panel(px, null, null, null);
        int k = 1;
        for (Map.Entry<String, double[]> r : im.rollout().entrySet()) {
            p[0][k++] = new OverlayGrid.Panel(px, r.getValue(), null, null);
            cols.add("fusion " + r.getKey());
        }
        String readout = "cls".equals(e.rolloutReadout()) ? "CLS row" : "mean of the patch rows (mean pooling)";
        return OverlayGrid.render("Attention rollout, " + readout + ", test image " + im.index() + ", " + e.checkpoint(),
                p, null, cols, m.gridSize());
    }

    static BufferedImage query(ExampleImages e, ExampleImage im, ModelSummary m) {
        int[][] px = im.pixels();
        int layers = m.depth(), heads = m.heads();
        int[] q = {e.queryRow(), e.queryColumn()};
        OverlayGrid.Panel[][] p = new OverlayGrid.Panel[layers][heads + 1];
        for (int l = 0; l < layers; l++) {
            if (l == 0) p[l][0] = new OverlayGrid.Panel(px, null, "query patch", q);
            for (int h = 0; h < heads; h++)
                p[l][h + 1] = new OverlayGrid.Panel(px, im.queryAttention()[l][h], null, q);
        }
        List<String> cols = new ArrayList<>(List.of(""));
        for (int h = 0; h < heads; h++) cols.add("head " + h);
        return OverlayGrid.render("Attention from patch (" + e.queryRow() + ", " + e.queryColumn() + ") (red), test image "
                + im.index() + ", " + e.checkpoint(), p, layerLabels(layers), cols, m.gridSize());
    }

    private static List<String> layerLabels(int layers) {
        List<String> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) rows.add("layer " + l);
        return rows;
    }

    private static String write(Path root, String rel, BufferedImage img) throws IOException {
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return rel;
    }
}
