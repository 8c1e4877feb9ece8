package io.vitlens.analysis.report;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.GradientFlowStats;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.PositionEmbeddingStats;

import java.util.List;
import java.util.stream.Collectors;

import static io.vitlens.analysis.report.Html.esc;
import static io.vitlens.analysis.report.Html.figure;
import static io.vitlens.analysis.report.Html.num;

/** The index.html of one run: claims first, then the evidence, init beside trained. */
public final class RunPage {

    private RunPage() { }

    public static String render(AnalysisResult r, FigureRenderer.RunFigures f) { return render(r, f, null); }

    /** @param atlas the maps of explore.html, or null: the link then says that page shows position embeddings only */
    public static String render(AnalysisResult r, FigureRenderer.RunFigures f, io.vitlens.analysis.AttentionAtlas atlas) {
        return render(r, f, atlas, null);
    }

    /**
     * @param trajectory the trajectory section's HTML ({@link TrajectorySection#write}), shown after "over training"; null
     *                   for none
     */
    public static String render(AnalysisResult r, FigureRenderer.RunFigures f, io.vitlens.analysis.AttentionAtlas atlas,
                                String trajectory) {
        CheckpointAnalysis last = r.last();
        CheckpointAnalysis init = r.baseline().orElse(r.checkpoints().get(0));
        FigureRenderer.CheckpointFigures lf = figuresOf(f, last), inf = figuresOf(f, init);
        boolean two = init != last;
        StringBuilder b = new StringBuilder(Html.head("vit-lens analysis: " + last.checkpoint()));
        b.append("<h1>How this ViT learned space</h1>\n<p class=\"meta\">").append(modelLine(r.model()))
                .append("<br>").append(r.images()).append(" analysis images (first of the test split, file order); checkpoints: ")
                .append(esc(r.checkpoints().stream().map(CheckpointAnalysis::checkpoint).collect(Collectors.joining(", "))))
                .append("</p>\n<nav><a href=\"#claims\">claims</a><a href=\"#pos\">position embeddings</a>"
                        + "<a href=\"#explore\">explore</a>"
                        + (r.exampleImages() != null ? "<a href=\"#examples\">example images</a>" : "")
                        + "<a href=\"#heads\">heads</a><a href=\"#evolution\">over training</a>"
                        + (trajectory != null ? "<a href=\"#trajectory\">trajectory</a>" : "") + "<a href=\"#gradients\">"
                        + "gradients</a><a href=\"#all\">every checkpoint</a><a href=\"#defs\">definitions</a>"
                        + "<a href=\"analysis.json\">analysis.json</a></nav>\n");

        b.append("<h2 id=\"claims\">Claims</h2>\n<p>Each claim is judged on the last checkpoint (<b>")
                .append(esc(last.checkpoint())).append("</b>) against the untrained baseline (<b>")
                .append(esc(r.baseline().map(CheckpointAnalysis::checkpoint).orElse("none analysed")))
                .append("</b>); the rule is stated beside the verdict.</p>\n").append(Html.claimsTable(r.claims(), "baseline (epoch-000)"));

        b.append("<h2 id=\"pos\">Position embeddings (C1-C3)</h2>\n");
        if (last.positionEmbedding() == null) {
            b.append("<p>Not measured: ").append(esc(last.positionEmbeddingReason())).append(".</p>\n");
        } else {
            b.append(positionTable(r));
            b.append("<div class=\"row\">").append(figure(inf.posSimilarity(), "similarity grid " + init.checkpoint(),
                            "Cosine similarity of each patch's position embedding (one small map per patch, red square)"
                                    + " with every other, at " + esc(init.checkpoint()) + "."));
            if (two) b.append(figure(lf.posSimilarity(), "similarity grid " + last.checkpoint(),
                    "The same after training, " + esc(last.checkpoint()) + "."));
            b.append("</div>\n").append(figure(f.similarityVsDistance(), "similarity vs distance",
                    "Mean cosine similarity of position-embedding pairs at each grid distance (C1)."));
            b.append("<div class=\"row\">").append(figure(inf.posComponents(), "PCs " + init.checkpoint(),
                    "Leading principal components of the position embeddings painted on the grid, "
                            + esc(init.checkpoint()) + " (C2)."));
            if (two) b.append(figure(lf.posComponents(), "PCs " + last.checkpoint(), esc(last.checkpoint()) + "."));
            b.append("</div>\n");
        }

        b.append("<h2 id=\"explore\">Explore (interactive)</h2>\n<p><a href=\"").append(ExplorePage.FILE_NAME)
                .append("\"><b>Open explore.html</b></a>: choose checkpoint, image, layer and head, click a patch of the grid and"
                        + " see its position-embedding similarity and the head's attention from it, with colour bars. One"
                        + " offline file beside this one (it needs JavaScript; this page does not)")
                .append(atlas == null || atlas.meanAttention().isEmpty()
                        ? "; this report was redrawn without the attention maps, so it shows the position embeddings only" : "")
                .append(".</p>\n");
        b.append(ExampleSection.render(r.exampleImages()));

        b.append("<h2 id=\"heads\">Attention heads (C5-C7, C9, C10)</h2>\n<div class=\"row\">")
                .append(figure(inf.distanceVsDepth(), "distance vs depth " + init.checkpoint(),
                        "Mean attention distance of each head by layer, coloured by head type, " + esc(init.checkpoint())
                                + "; the grey line is uniform attention."));
        if (two) b.append(figure(lf.distanceVsDepth(), "distance vs depth " + last.checkpoint(), esc(last.checkpoint()) + "."));
        b.append("</div>\n");
        b.append("<h3>Average attention by offset</h3>\n<div class=\"row\">")
                .append(figure(inf.attentionOffset(), "attention by offset " + init.checkpoint(), esc(init.checkpoint())));
        if (two) b.append(figure(lf.attentionOffset(), "attention by offset " + last.checkpoint(), esc(last.checkpoint())));
        b.append("</div>\n<h3>Query/key alignment by offset (C5)</h3>\n<div class=\"row\">")
                .append(figure(inf.qkOffset(), "qk cosine by offset " + init.checkpoint(), esc(init.checkpoint())));
        if (two) b.append(figure(lf.qkOffset(), "qk cosine by offset " + last.checkpoint(), esc(last.checkpoint())));
        b.append("</div>\n<h3>Every head at ").append(esc(last.checkpoint())).append("</h3>\n").append(headTable(last.heads()));

        b.append("<h2 id=\"evolution\">Over training (C3, C7)</h2>\n<div class=\"row\">")
                .append(figure(f.evolutionPosition(), "position structure over training", "rho, rowR2 and colR2 per checkpoint."))
                .append(figure(f.evolutionDistance(), "distance over training", "Mean attention distance per layer per checkpoint."))
                .append(figure(f.evolutionQk(), "qk rho over training", "Mean qkCosineRho per layer per checkpoint."))
                .append("</div>\n");

        if (trajectory != null) b.append(trajectory);

        b.append("<h2 id=\"gradients\">Gradient flow (C12)</h2>\n").append(gradients(r.gradientFlow(), r.gradientFlowReason()))
                .append(figure(f.gradientNorms(), "gradient norms", "Gradient norm of each parameter group per logged epoch."));

        b.append("<h2 id=\"all\">Every checkpoint</h2>\n");
        for (FigureRenderer.CheckpointFigures c : f.checkpoints()) {
            b.append("<details><summary>").append(esc(c.checkpoint())).append("</summary>\n<div class=\"row\">");
            for (String p : new String[]{c.posSimilarity(), c.posComponents(), c.distanceVsDepth(), c.attentionOffset(), c.qkOffset()})
                b.append(figure(p, c.checkpoint(), null));
            b.append("</div></details>\n");
        }
        b.append(definitions(r));
        return b.append(Html.tail()).toString();
    }

    static FigureRenderer.CheckpointFigures figuresOf(FigureRenderer.RunFigures f, CheckpointAnalysis c) {
        return f.checkpoints().stream().filter(x -> x.checkpoint().equals(c.checkpoint())).findFirst().orElseThrow();
    }

    static String modelLine(ModelSummary m) {
        return esc(m.imageSize() + "x" + m.imageSize() + " images, patch " + m.patchSize() + " (" + m.gridSize() + "x"
                + m.gridSize() + " grid), D " + m.dim() + ", " + m.depth() + " layers x " + m.heads() + " heads, position "
                + "embedding " + m.posEmbedding() + ", pooling " + m.pooling() + ", value projection " + m.valueProjection()
                + (m.tieQk() ? ", W_Q = W_K" : ""));
    }

    private static String positionTable(AnalysisResult r) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>checkpoint</th><th>epoch</th><th>rho</th><th>p</th>"
                + "<th>rowR2</th><th>colR2</th><th>variance share of the first PCs</th></tr>\n");
        for (CheckpointAnalysis c : r.checkpoints()) {
            PositionEmbeddingStats p = c.positionEmbedding();
            if (p == null) continue;
            b.append("<tr><td>").append(esc(c.checkpoint())).append("</td><td class=\"num\">").append(c.epoch())
                    .append("</td><td class=\"num\">").append(num(p.rho())).append("</td><td class=\"num\">")
                    .append(num(p.pValue())).append("</td><td class=\"num\">").append(num(p.rowR2()))
                    .append("</td><td class=\"num\">").append(num(p.colR2())).append("</td><td>");
            for (int i = 0; i < Math.min(4, p.pcaVarianceShare().length); i++)
                b.append(i == 0 ? "" : ", ").append(FigureRenderer.percent(p.pcaVarianceShare()[i]));
            b.append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    static String headTable(List<HeadStats> heads) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>layer</th><th>head</th><th>type</th><th>mean distance (px)</th>"
                + "<th>entropy</th><th>local</th><th>row</th><th>column</th><th>CLS</th><th>positional share</th>"
                + "<th>asymmetry</th><th>qkCosineRho</th><th>mean Q/K angle (deg)</th></tr>\n");
        for (HeadStats h : heads)
            b.append("<tr><td class=\"num\">").append(h.layer()).append("</td><td class=\"num\">").append(h.head())
                    .append("</td><td>").append(esc(h.type())).append("</td>")
                    .append(cells(h.meanAttentionDistancePx(), h.entropy(), h.localMass(), h.rowMass(), h.columnMass(),
                            h.clsMass(), h.positionalShare(), h.asymmetry(), h.qkCosineRho(), h.qkPrincipalAngleMeanDeg()))
                    .append("</tr>\n");
        return b.append("</table>\n").toString();
    }

    private static String cells(double... v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append("<td class=\"num\">").append(num(x)).append("</td>");
        return b.toString();
    }

    private static String gradients(GradientFlowStats g, String reason) {
        if (g == null) return "<p>Not measured: " + esc(reason) + ".</p>\n";
        return "<p>" + g.norms().size() + " parameter groups over " + g.epochs().size() + " logged epochs. Vanishing: <b>"
                + esc(g.vanishing().isEmpty() ? "none" : String.join(", ", g.vanishing())) + "</b>; not finite: <b>"
                + esc(g.nonFinite().isEmpty() ? "none" : String.join(", ", g.nonFinite())) + "</b>; frozen by design: <b>"
                + esc(g.frozen().isEmpty() ? "none" : String.join(", ", g.frozen())) + "</b>. A group vanishes when its norm"
                + " is 0 or below " + num(g.vanishingRatio()) + " x the median group norm of that epoch.</p>\n";
    }

    private static String definitions(AnalysisResult r) {
        StringBuilder b = new StringBuilder("<h2 id=\"defs\">Definitions</h2>\n<ul>\n");
        String[] items = {
                "Patches only (CLS excluded) unless stated; grid distance is Euclidean in patch units; pixel distance = grid distance x P; offsets (dr, dc) are key minus query.",
                "rho (C1): Spearman correlation over pairs i &lt; j between cos(p_i, p_j) and grid distance; p-value from random permutations of the grid positions, (1 + #{|rho_perm| &gt;= |rho|}) / (permutations + 1).",
                "rowR2 / colR2 (C2): leave-one-out R^2 of the row / column regressed (with intercept) on the first k = min(8, N - 2) principal components of the centred patch position embeddings.",
                "qkCosineRho (C5): Spearman correlation of cos(q_i, k_j) with grid distance over all ordered patch pairs, q and k computed from the image-mean token entering the block (LN1, W_Q / W_K, biases).",
                "Mean attention distance: per patch query, the attention-weighted mean pixel distance to patch keys, normalised by the patch mass; mean over queries and images. Entropy: of the full row with the CLS key, natural log.",
                "Local / row / column / CLS mass: attention on patch keys within Chebyshev distance 1 (the query included) / in the query's row / in its column / on the CLS key.",
                "Positional share: variance of the image-mean patch-to-patch map over its entries divided by the variance of the per-image maps over images and entries (population variances).",
                "Asymmetry: ||A - A^T||_F / ||A||_F of the patch-to-patch block, mean over images. Q/K angles (C9): principal angles between the row spaces of W_Q^h and W_K^h, in degrees.",
        };
        for (String s : items) b.append("<li>").append(s).append("</li>\n");
        b.append("<li>Head types (first matching rule, mean distance of uniform attention on this grid = ")
                .append(num(r.uniformAttentionMeanDistancePx())).append(" px): ")
                .append(esc(String.join("; ", r.headTypeRules().rules()))).append(".</li>\n</ul>\n");
        return b.toString();
    }
}
