package io.vitlens.training.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.training.EvalResult;
import io.vitlens.training.Evaluator;
import io.vitlens.training.weights.LoadedModel;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Top-1 accuracy, loss, per-class accuracy and confusion matrix of a model on a split.",
                "Example: vit eval --checkpoint runs/tiny/checkpoints/epoch-010.zip --dataset image-folder --data-dir ../shared/datasets/cifar10-jpg.tar.gz"})
final class EvalCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1") ModelSource.Exclusive source;
    @Mixin ModelSource model;
    @Mixin CommonOptions.DataOptions data;
    @Mixin CommonOptions.Debug debug;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate the first n images only (0 = all).")
    int limit;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) throw new IllegalArgumentException("--limit: " + limit + " must be >= 0 (0 = all)");
        if (batch < 1) throw new IllegalArgumentException("--batch: " + batch + " must be >= 1");
        LoadedModel m = model.load(source);
        LoadedDataset ds = ModelData.open(m, model.storedConfig, model.storedConfigProblem, data, batch);
        Split split = ModelData.split(data.split);
        DataSetIterator it = ds.normalisedWith(m.normalization()).evalIterator(split, limit);
        EvalResult r = Evaluator.evaluate(m.graph(), it, m.normalization().classNames());
        System.out.printf(Locale.ROOT, "%s on %s/%s: %d images, top-1 accuracy %.2f%%, loss %.4f%n",
                m.source(), ds.name(), split.name().toLowerCase(Locale.ROOT), r.images(), 100 * r.accuracy(), r.loss());
        System.out.println("per-class accuracy:");
        for (int k = 0; k < r.perClassAccuracy().length; k++)
            System.out.printf(Locale.ROOT, "  %-16s %6.2f%%%n", r.classNames().get(k), 100 * r.perClassAccuracy()[k]);
        System.out.println("confusion matrix (rows: true, columns: predicted):");
        for (int[] row : r.confusion()) {
            StringBuilder b = new StringBuilder(" ");
            for (int v : row) b.append(String.format(Locale.ROOT, " %5d", v));
            System.out.println(b);
        }
        if (json != null)
            io.vitlens.core.io.AtomicFiles.write(json,
                    o -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(o, r));
        return 0;
    }
}
