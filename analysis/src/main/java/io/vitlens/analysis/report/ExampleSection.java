package io.vitlens.analysis.report;

import io.vitlens.analysis.ExampleImage;
import io.vitlens.analysis.ExampleImages;

import static io.vitlens.analysis.report.Html.esc;
import static io.vitlens.analysis.report.Html.figure;

/** The "Attention on example images" section: the three figures of each image, one block per image. */
final class ExampleSection {

    private ExampleSection() { }

    static String render(ExampleImages e) {
        if (e == null) return "";
        StringBuilder b = new StringBuilder("<h2 id=\"examples\">Attention on example images</h2>\n<p>")
                .append(e.images().size()).append(" test images fixed by index (the first of the split, so runs compare"
                        + " image for image), at <b>").append(esc(e.checkpoint())).append("</b>. Maps are on the patch grid,"
                        + " upsampled by nearest neighbour (each patch one block) and blended over the image; each panel"
                        + " has its own scale, 0 to the maximum in its caption. CLS attention leaves out the CLS key. Rollout"
                        + " (Abnar &amp; Zuidema 2020): heads fused by ").append(esc(String.join(" / ", e.rolloutFusions())))
                .append(", A' = (0.5 A + 0.5 I) with rows renormalised, multiplied over the layers, read at ")
                .append("cls".equals(e.rolloutReadout()) ? "the CLS row" : "the mean of the patch rows (this model pools by mean)")
                .append(". The query-patch maps start from patch (").append(e.queryRow()).append(", ").append(e.queryColumn())
                .append("), outlined in red.</p>\n");
        for (ExampleImage im : e.images()) {
            b.append("<details").append(im == e.images().get(0) ? " open" : "").append("><summary>test image ")
                    .append(im.index()).append("</summary>\n<div class=\"row\">");
            if (im.figures() != null) {
                b.append(figure(im.figures().get("rollout"), "rollout image " + im.index(), "Attention rollout per head fusion."));
                b.append(figure(im.figures().get("cls"), "CLS attention image " + im.index(),
                        "CLS attention per layer: mean of heads, then each head."));
                b.append(figure(im.figures().get("query"), "query attention image " + im.index(),
                        "Each head's attention from the query patch."));
            }
            b.append("</div></details>\n");
        }
        return b.toString();
    }
}
