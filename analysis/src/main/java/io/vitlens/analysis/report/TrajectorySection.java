package io.vitlens.analysis.report;

import io.vitlens.analysis.trajectory.LargestMass;
import io.vitlens.analysis.trajectory.Trajectory;
import io.vitlens.analysis.trajectory.TrajectoryFiles;
import io.vitlens.analysis.trajectory.TrajectoryRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.vitlens.analysis.report.Html.esc;
import static io.vitlens.analysis.report.Html.figure;
import static io.vitlens.analysis.report.Html.num;

/**
 * The report's trajectory section (issue #18): the per-checkpoint table of trajectory.csv, layer 0's per-head
 * mean attention distances as a table and a chart (heads separating show there before a type rule fires).
 */
public final class TrajectorySection {

    public static final String FIGURE = "trajectory-layer0-distance.png";
    public static final String MASS_FIGURE = "trajectory-rule-masses.png";
    public static final String TYPES_FIGURE = "trajectory-head-types.png";

    private TrajectorySection() { }

    /**
     * Writes the chart under {@code root/prefix} and returns the section's HTML.
     *
     * @param root   the report directory (index.html lives here)
     * @param prefix folder under root for the PNG, with '/' separators
     */
    public static String write(Trajectory t, Path root, String prefix) throws IOException {
        String rel = prefix + "/" + FIGURE, massRel = prefix + "/" + MASS_FIGURE, typesRel = prefix + "/" + TYPES_FIGURE;
        Files.createDirectories(root.resolve(rel).getParent());
        Files.write(root.resolve(rel), chart(t));
        Files.write(root.resolve(massRel), massChart(t));
        javax.imageio.ImageIO.write(HeadTypeTimeline.render(t), "png", root.resolve(typesRel).toFile());
        return render(t, rel, massRel, typesRel);
    }

    /**
     * @param figure     the distance chart's path relative to index.html, or null
     * @param massFigure the rule-mass chart's path relative to index.html, or null
     * @param typesFigure the head-type timeline's path relative to index.html, or null
     */
    static String render(Trajectory t, String figure, String massFigure, String typesFigure) {
        StringBuilder b = new StringBuilder("<h2 id=\"trajectory\">Trajectory</h2>\n<p>One row per analysed checkpoint"
                + " (also <a href=\"" + TrajectoryFiles.CSV + "\">" + TrajectoryFiles.CSV + "</a>, <a href=\""
                + TrajectoryFiles.JSON + "\">" + TrajectoryFiles.JSON + "</a>, <a href=\"" + TrajectoryFiles.MARKDOWN + "\">"
                + TrajectoryFiles.MARKDOWN + "</a>). Test accuracy is the run's metrics.jsonl for that epoch (blank where"
                + " none was logged); L0 = layer 0, distances are the heads' mean attention distances, also as a fraction"
                + " of uniform attention's (").append(num(t.uniformAttentionMeanDistancePx()))
                .append(" px); head counts are over every layer.</p>\n<table>\n<tr><th>checkpoint</th><th>epoch</th>"
                        + "<th>test accuracy</th><th>C1 rho</th><th>row R^2</th><th>col R^2</th><th>L0 min dist (px)</th>"
                        + "<th>L0 mean dist (px)</th><th>L0 min / uniform</th><th>L0 mean / uniform</th>");
        for (String type : t.headTypes()) b.append("<th>").append(esc(type)).append("</th>");
        b.append("<th>C7 depth rho</th>");
        for (String m : LargestMass.MASSES) b.append("<th>max ").append(m).append(" mass (head)</th>");
        b.append("</tr>\n");
        for (TrajectoryRow r : t.rows()) {
            b.append("<tr><td>").append(esc(r.checkpoint())).append("</td><td class=\"num\">").append(r.epoch()).append("</td>")
                    .append(cell(r.testAccuracy())).append(cell(r.c1Rho())).append(cell(r.rowR2())).append(cell(r.colR2()))
                    .append(cell(r.layer0MinDistancePx())).append(cell(r.layer0MeanDistancePx()))
                    .append(cell(r.layer0MinDistanceFraction())).append(cell(r.layer0MeanDistanceFraction()));
            for (String type : t.headTypes())
                b.append("<td class=\"num\">").append(r.headTypeCounts().getOrDefault(type, 0)).append("</td>");
            b.append(cell(r.c7DepthRho()));
            for (String m : LargestMass.MASSES) {
                LargestMass l = r.largestMass() == null ? null : r.largestMass().get(m);
                b.append(l == null ? "<td></td>" : "<td class=\"num\">" + num(l.mass()) + " (" + l.label() + ")</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<h3>How near the mass rules of C6 are to firing</h3>\n");
        if (massFigure != null) b.append(figure(massFigure, "largest head masses over training",
                "Per analysed checkpoint, the largest local, row, column and CLS mass of any head, with each rule's "
                        + "threshold in grey (" + thresholdsText(t) + "). A mass below its line means no head has that "
                        + "type yet; the row and column rules also need their mass to be "
                        + "more than twice the other axis's."));
        if (typesFigure != null) b.append("<h3>Every head's type over training</h3>\n").append(figure(typesFigure,
                "head types over training", "One row per head (L = layer, H = head), one column per analysed checkpoint, "
                        + "coloured by the head's C6 type (trajectory.md lists them as a table)."));
        b.append("<h3>Layer-0 mean attention distance per head (px)</h3>\n");
        if (figure != null) b.append(figure(figure, "layer-0 head distances over training",
                "Each layer-0 head's mean attention distance per analysed checkpoint; the grey line is uniform attention."));
        b.append("<table>\n<tr><th>checkpoint</th>");
        for (int h = 0; h < t.layer0Heads(); h++) b.append("<th>head ").append(h).append("</th>");
        b.append("</tr>\n");
        for (TrajectoryRow r : t.rows()) {
            b.append("<tr><td>").append(esc(r.checkpoint())).append("</td>");
            for (double d : r.layer0HeadDistancesPx()) b.append(cell(d));
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    /** PNG of layer 0's per-head distances against epoch, one line per head, with uniform attention's as a yardstick. */
    static byte[] chart(Trajectory t) throws IOException {
        var chart = Charts.chart("Layer-0 mean attention distance per head over training", "epoch",
                "mean attention distance (px)", 640, Charts.heightForLegend(320, t.layer0Heads() + 1));
        double[] epochs = t.rows().stream().mapToDouble(TrajectoryRow::epoch).toArray();
        List<Charts.Series> series = new ArrayList<>();
        for (int h = 0; h < t.layer0Heads(); h++) {
            final int head = h;
            double[] y = t.rows().stream().mapToDouble(r -> head < r.layer0HeadDistancesPx().length
                    ? r.layer0HeadDistancesPx()[head] : Double.NaN).toArray();
            series.add(new Charts.Series("head " + h, epochs, y, Charts.palette(h), true, true));
        }
        if (epochs.length > 0) {
            double lo = epochs[0], hi = epochs[epochs.length - 1];
            double u = t.uniformAttentionMeanDistancePx();
            series.add(new Charts.Series("uniform attention", new double[]{lo, hi}, new double[]{u, u},
                    Charts.PALETTE[8], true, false));
        }
        return Charts.png(chart, series);
    }

    /** PNG of the largest local / row / column / CLS mass of any head against epoch, with the rules' thresholds. */
    static byte[] massChart(Trajectory t) throws IOException {
        var chart = Charts.chart("Largest head mass per C6 rule over training", "epoch", "mass (fraction of the row)",
                640, Charts.heightForLegend(320, 2 * LargestMass.MASSES.size()));
        double[] epochs = t.rows().stream().mapToDouble(TrajectoryRow::epoch).toArray();
        List<Charts.Series> series = new ArrayList<>();
        int colour = 0;
        for (String m : LargestMass.MASSES) {
            double[] y = t.rows().stream().mapToDouble(r -> {
                LargestMass l = r.largestMass() == null ? null : r.largestMass().get(m);
                return l == null ? Double.NaN : l.mass();
            }).toArray();
            series.add(new Charts.Series("largest " + m + " mass", epochs, y, Charts.palette(colour++), true, true));
        }
        if (epochs.length > 0) {
            double lo = epochs[0], hi = epochs[epochs.length - 1];
            // one grey line per distinct threshold (the default rules share 0.5)
            for (double v : t.massThresholds().values().stream().distinct().toList())
                series.add(new Charts.Series("rule threshold " + num(v), new double[]{lo, hi}, new double[]{v, v},
                        Charts.PALETTE[8], true, false));
        }
        return Charts.png(chart, series);
    }

    private static String thresholdsText(Trajectory t) {
        List<String> parts = new ArrayList<>();
        t.massThresholds().forEach((m, v) -> parts.add(m + " " + num(v)));
        return String.join(", ", parts);
    }

    private static String cell(Double v) { return "<td class=\"num\">" + (v == null || v.isNaN() ? "" : num(v)) + "</td>"; }
}
