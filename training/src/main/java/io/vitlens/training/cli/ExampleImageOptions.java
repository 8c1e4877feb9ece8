package io.vitlens.training.cli;

import io.vitlens.analysis.examples.ExampleOptions;
import io.vitlens.analysis.examples.HeadFusion;
import picocli.CommandLine.Option;

/** The per-image attention options shared by {@code vit analyze} and {@code vit quickstart}. */
final class ExampleImageOptions {

    @Option(names = "--example-images", defaultValue = "8", paramLabel = "N",
            description = "Per-image attention figures (CLS attention, rollout, query patch) for the first N test images,"
                    + " fixed by index so runs compare; 0 = none (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--query-patch", paramLabel = "ROW,COL",
            description = "Query patch of the per-head maps of the example images (default: the centre patch).")
    String queryPatch;

    @Option(names = "--rollout-fusion", defaultValue = "mean,max,min", paramLabel = "LIST",
            description = "Head fusions of the attention rollout, any of mean, max, min (default: ${DEFAULT-VALUE}).")
    String fusion;

    ExampleOptions toOptions() {
        if (count < 0) throw new IllegalArgumentException("--example-images: " + count + " must be >= 0");
        Integer row = null, col = null;
        if (queryPatch != null) {
            String[] rc = queryPatch.split(",");
            if (rc.length != 2 || !rc[0].trim().matches("\\d{1,4}") || !rc[1].trim().matches("\\d{1,4}"))
                throw new IllegalArgumentException("--query-patch: '" + queryPatch + "' is not ROW,COL (e.g. 3,4)");
            row = Integer.parseInt(rc[0].trim());
            col = Integer.parseInt(rc[1].trim());
        }
        return new ExampleOptions(count, row, col, HeadFusion.parseList(fusion));
    }
}
