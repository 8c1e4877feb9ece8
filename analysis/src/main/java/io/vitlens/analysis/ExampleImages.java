package io.vitlens.analysis;

import java.util.List;

/**
 * The per-image attention figures of a report ({@code exampleImages} in analysis.json): for a few
 * test images fixed by index, so runs compare image for image.
 *
 * @param checkpoint     the checkpoint they were computed on (the last one analysed)
 * @param queryPatch     the patch whose attention {@code queryAttention} shows, token {@code queryPatch + 1}
 * @param queryRow       its grid row
 * @param queryColumn    its grid column
 * @param rolloutFusions head fusions computed for the rollout, e.g. [mean, max, min]
 * @param rolloutReadout which rollout row is shown: "cls" (CLS row) or "mean" (mean of the patch rows, as mean
 *                       pooling reads them)
 * @param images         one entry per image, ascending index
 */
public record ExampleImages(String checkpoint, int queryPatch, int queryRow, int queryColumn,
                            List<String> rolloutFusions, String rolloutReadout, List<ExampleImage> images) {

    public ExampleImages withImages(List<ExampleImage> im) {
        return new ExampleImages(checkpoint, queryPatch, queryRow, queryColumn, rolloutFusions, rolloutReadout, im);
    }
}
