package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.claims.Fmt;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The trajectory as text tables: CSV (for spreadsheets and scripts: numbers to 6 decimals, blank where unknown)
 * and Markdown (for issues and notes: 4 significant digits). Both have the same columns in the same order.
 */
public final class TrajectoryTables {

    private TrajectoryTables() { }

    /** A column: CSV header, Markdown header, and the cell's value (Number, String, or null for blank). */
    private record Column(String csv, String markdown, Function<TrajectoryRow, Object> value) { }

    /** The summary columns, then the head-type counts, C7's rho, and the largest of each rule's mass with its head. */
    private static List<Column> columns(Trajectory t) {
        List<Column> c = new ArrayList<>(List.of(
                new Column("checkpoint", "checkpoint", TrajectoryRow::checkpoint),
                new Column("epoch", "epoch", TrajectoryRow::epoch),
                new Column("testAccuracy", "test accuracy", TrajectoryRow::testAccuracy),
                new Column("c1Rho", "C1 rho", TrajectoryRow::c1Rho),
                new Column("rowR2", "row R^2", TrajectoryRow::rowR2),
                new Column("colR2", "col R^2", TrajectoryRow::colR2),
                new Column("layer0MinDistancePx", "L0 min dist (px)", TrajectoryRow::layer0MinDistancePx),
                new Column("layer0MeanDistancePx", "L0 mean dist (px)", TrajectoryRow::layer0MeanDistancePx),
                new Column("layer0MinDistanceFraction", "L0 min / uniform", TrajectoryRow::layer0MinDistanceFraction),
                new Column("layer0MeanDistanceFraction", "L0 mean / uniform", TrajectoryRow::layer0MeanDistanceFraction)));
        for (String type : t.headTypes())
            c.add(new Column(type + "Heads", type, r -> r.headTypeCounts().getOrDefault(type, 0)));
        c.add(new Column("c7DepthRho", "C7 depth rho", TrajectoryRow::c7DepthRho));
        for (String m : LargestMass.MASSES) {
            String cap = Character.toUpperCase(m.charAt(0)) + m.substring(1);
            c.add(new Column("largest" + cap + "Mass", "max " + m + " mass", r -> largest(r, m) == null ? null : largest(r, m).mass()));
            c.add(new Column("largest" + cap + "MassHead", "max " + m + " head", r -> largest(r, m) == null ? null : largest(r, m).label()));
        }
        return c;
    }

    private static LargestMass largest(TrajectoryRow r, String mass) {
        return r.largestMass() == null ? null : r.largestMass().get(mass);
    }

    /** Layer 0's heads, one column each: the distribution of mean attention distances. */
    private static List<Column> distributionColumns(Trajectory t) {
        List<Column> c = new ArrayList<>();
        for (int h = 0; h < t.layer0Heads(); h++) {
            final int head = h;
            c.add(new Column("layer0Head" + h + "DistancePx", "head " + h,
                    r -> head < r.layer0HeadDistancesPx().length ? r.layer0HeadDistancesPx()[head] : null));
        }
        return c;
    }

    /** The checkpoint, then one column per head (L0H0, L0H1, ...) holding its C6 type. */
    private static List<Column> typeColumns(Trajectory t) {
        List<Column> c = new ArrayList<>(List.of(new Column("checkpoint", "checkpoint", TrajectoryRow::checkpoint)));
        java.util.LinkedHashSet<String> heads = new java.util.LinkedHashSet<>();
        for (TrajectoryRow r : t.rows()) if (r.headTypeByHead() != null) heads.addAll(r.headTypeByHead().keySet());
        for (String h : heads)
            c.add(new Column(h, h, r -> r.headTypeByHead() == null ? null : r.headTypeByHead().get(h)));
        return c;
    }

    /** Header line plus one line per row: the summary columns, then every layer-0 head's distance. */
    public static String csv(Trajectory t) {
        List<Column> cols = new ArrayList<>(columns(t));
        cols.addAll(distributionColumns(t));
        StringBuilder b = new StringBuilder(String.join(",", cols.stream().map(Column::csv).toList())).append('\n');
        for (TrajectoryRow r : t.rows()) {
            List<String> cells = new ArrayList<>();
            for (Column c : cols) cells.add(csvCell(c.value().apply(r)));
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /** Three Markdown tables: the trajectory, layer 0's per-head mean attention distances (px), every head's type. */
    public static String markdown(Trajectory t) {
        StringBuilder b = new StringBuilder("## Trajectory\n\n");
        table(b, columns(t), t.rows());
        b.append("\n## Layer-0 mean attention distance per head (px; uniform attention: ")
                .append(Fmt.num(t.uniformAttentionMeanDistancePx())).append(")\n\n");
        List<Column> dist = new ArrayList<>(List.of(new Column("checkpoint", "checkpoint", TrajectoryRow::checkpoint)));
        dist.addAll(distributionColumns(t));
        table(b, dist, t.rows());
        b.append("\n## C6 type of every head\n\n");
        table(b, typeColumns(t), t.rows());
        return b.toString();
    }

    private static void table(StringBuilder b, List<Column> cols, List<TrajectoryRow> rows) {
        b.append('|');
        for (Column c : cols) b.append(' ').append(c.markdown()).append(" |");
        b.append("\n|");
        for (Column c : cols) b.append(c.markdown().equals("checkpoint") ? "---|" : "---:|");
        b.append('\n');
        for (TrajectoryRow r : rows) {
            b.append('|');
            for (Column c : cols) b.append(' ').append(markdownCell(c.value().apply(r))).append(" |");
            b.append('\n');
        }
    }

    /** Blank for unknown; integers as such; other numbers to 6 decimals, trailing zeros dropped. */
    static String csvCell(Object v) {
        if (v == null) return "";
        if (v instanceof Integer i) return i.toString();
        if (v instanceof Double d) {
            if (!Double.isFinite(d)) return "";
            return BigDecimal.valueOf(d).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    static String markdownCell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return Double.isFinite(d) ? Fmt.num(d) : "";
        return v.toString();
    }
}
