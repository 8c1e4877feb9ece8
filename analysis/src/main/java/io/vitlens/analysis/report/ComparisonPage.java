package io.vitlens.analysis.report;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.PositionEmbeddingStats;
import io.vitlens.analysis.RunReport;

import java.util.List;
import java.util.function.Function;

import static io.vitlens.analysis.report.Html.esc;
import static io.vitlens.analysis.report.Html.num;

/** The index.html of {@code vit report}: runs side by side, one column per run. */
public final class ComparisonPage {

    private ComparisonPage() { }

    public static String render(List<RunReport> runs, List<FigureRenderer.RunFigures> figures, List<ClaimVerdict> claims) {
        StringBuilder b = new StringBuilder(Html.head("vit-lens comparison of " + runs.size() + " runs"));
        b.append("<h1>Runs compared</h1>\n<p class=\"meta\">Each run is shown at its last analysed checkpoint;"
                + " <a href=\"comparison.json\">comparison.json</a> holds the numbers.</p>\n");
        b.append(runTable(runs));
        b.append("<h2>Claims that need several runs</h2>\n").append(Html.claimsTable(claims, "baseline (see what it says)"));
        b.append("<h2>Every claim, per run</h2>\n").append(claimMatrix(runs));
        b.append("<h2>Figures</h2>\n");
        figureRow(b, runs, figures, "Position-embedding similarity (last checkpoint)", f -> last(f).posSimilarity());
        figureRow(b, runs, figures, "Similarity vs grid distance", FigureRenderer.RunFigures::similarityVsDistance);
        figureRow(b, runs, figures, "Principal components on the grid", f -> last(f).posComponents());
        figureRow(b, runs, figures, "Mean attention distance per head vs depth", f -> last(f).distanceVsDepth());
        figureRow(b, runs, figures, "Average attention by offset", f -> last(f).attentionOffset());
        figureRow(b, runs, figures, "Q/K cosine by offset", f -> last(f).qkOffset());
        figureRow(b, runs, figures, "Position structure over training", FigureRenderer.RunFigures::evolutionPosition);
        figureRow(b, runs, figures, "Mean attention distance over training", FigureRenderer.RunFigures::evolutionDistance);
        figureRow(b, runs, figures, "Gradient norms", FigureRenderer.RunFigures::gradientNorms);
        return b.append(Html.tail()).toString();
    }

    private static FigureRenderer.CheckpointFigures last(FigureRenderer.RunFigures f) {
        return f.checkpoints().get(f.checkpoints().size() - 1);
    }

    private static String runTable(List<RunReport> runs) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>run</th><th>heads</th><th>position embedding</th>"
                + "<th>value projection</th><th>W_Q = W_K</th><th>final accuracy</th><th>checkpoint</th><th>rho</th>"
                + "<th>rowR2</th><th>colR2</th><th>mean attention distance (px)</th><th>head types</th>"
                + "<th>mean Q/K angle (deg)</th><th>asymmetry</th><th>claims held</th></tr>\n");
        for (RunReport r : runs) {
            AnalysisResult a = r.result();
            ModelSummary m = a.model();
            CheckpointAnalysis c = a.last();
            PositionEmbeddingStats p = c.positionEmbedding();
            long held = a.claims().stream().filter(ClaimVerdict::isHeld).count();
            long measured = a.claims().stream().filter(v -> v.holds() instanceof Boolean).count();
            b.append("<tr><td><b>").append(esc(r.name())).append("</b></td><td class=\"num\">").append(m.heads())
                    .append("</td><td>").append(esc(m.posEmbedding())).append("</td><td>").append(esc(m.valueProjection()))
                    .append("</td><td>").append(m.tieQk() ? "yes" : "no").append("</td><td class=\"num\">")
                    .append(num(r.finalAccuracy())).append("</td><td>").append(esc(c.checkpoint()))
                    .append("</td><td class=\"num\">").append(p == null ? "n/a" : num(p.rho()))
                    .append("</td><td class=\"num\">").append(p == null ? "n/a" : num(p.rowR2()))
                    .append("</td><td class=\"num\">").append(p == null ? "n/a" : num(p.colR2()))
                    .append("</td><td class=\"num\">")
                    .append(num(c.heads().stream().mapToDouble(HeadStats::meanAttentionDistancePx).average().orElse(Double.NaN)))
                    .append("</td><td>").append(esc(String.valueOf(typeCounts(c)))).append("</td><td class=\"num\">")
                    .append(num(c.meanQkPrincipalAngleDeg())).append("</td><td class=\"num\">").append(num(c.meanAsymmetry()))
                    .append("</td><td class=\"num\">").append(held).append(" / ").append(measured).append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String claimMatrix(List<RunReport> runs) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>claim</th>");
        for (RunReport r : runs) b.append("<th>").append(esc(r.name())).append("</th>");
        b.append("</tr>\n");
        List<ClaimVerdict> first = runs.get(0).result().claims();
        for (ClaimVerdict c : first) {
            b.append("<tr><td><b>").append(esc(c.id())).append("</b> ").append(esc(c.title())).append("</td>");
            for (RunReport r : runs) {
                ClaimVerdict v = r.result().claim(c.id()).orElse(null);
                b.append("<td>").append(v == null ? "" : Html.verdict(v.holds()) + " " + num(v.value())).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static void figureRow(StringBuilder b, List<RunReport> runs, List<FigureRenderer.RunFigures> figures,
                                  String title, Function<FigureRenderer.RunFigures, String> pick) {
        b.append("<h3>").append(esc(title)).append("</h3>\n<div class=\"cols\" style=\"grid-template-columns:repeat(")
                .append(runs.size()).append(",minmax(0,1fr))\">\n");
        for (int i = 0; i < runs.size(); i++) {
            String path = pick.apply(figures.get(i));
            b.append("<div><b>").append(esc(runs.get(i).name())).append("</b>")
                    .append(path == null ? "<p>not available</p>" : Html.figure(path, title + " " + runs.get(i).name(), null))
                    .append("</div>\n");
        }
        b.append("</div>\n");
    }

    private static java.util.Map<String, Integer> typeCounts(CheckpointAnalysis c) {
        java.util.Map<String, Integer> m = new java.util.TreeMap<>();
        c.heads().forEach(h -> m.merge(h.type(), 1, Integer::sum));
        return m;
    }
}
