package io.vitlens.training.cli;

import io.vitlens.data.LoadedDataset;
import io.vitlens.data.Split;
import io.vitlens.training.Logits;
import io.vitlens.core.io.AtomicFiles;
import io.vitlens.training.weights.LoadedModel;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Write the logits of the first n images of a split (file order) as CSV:",
                "index,label,prediction,logit_0,...,logit_{K-1} (full float precision).",
                "Example: vit predict --checkpoint runs/quickstart/checkpoints/epoch-006.zip --limit 100 --out preds.csv"})
final class PredictCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1") ModelSource.Exclusive source;
    @Mixin ModelSource model;
    @Mixin CommonOptions.DataOptions data;
    @Mixin CommonOptions.Debug debug;

    @Option(names = "--limit", defaultValue = "0", description = "The first n images only (0 = all).")
    int limit;

    @Option(names = "--out", required = true, paramLabel = "CSV", description = "Output CSV file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) throw new IllegalArgumentException("--limit: " + limit + " must be >= 0 (0 = all)");
        LoadedModel m = model.load(source);
        LoadedDataset ds = ModelData.open(m, model.storedConfig, model.storedConfigProblem, data, 256);
        Split split = ModelData.split(data.split);
        DataSetIterator it = ds.normalisedWith(m.normalization()).evalIterator(split, limit);
        int k = m.vit().numClasses();
        StringBuilder csv = new StringBuilder("index,label,prediction");
        for (int j = 0; j < k; j++) csv.append(",logit_").append(j);
        csv.append('\n');
        int index = 0;
        while (it.hasNext()) {
            DataSet batch = it.next();
            float[][] logits = Logits.of(m.graph(), batch.getFeatures()).toFloatMatrix();  // [B, K]
            float[][] labels = batch.getLabels().toFloatMatrix();                                           // [B, K]
            for (int i = 0; i < logits.length; i++) {
                csv.append(index++).append(',').append(argmax(labels[i])).append(',').append(argmax(logits[i]));
                for (float v : logits[i]) csv.append(',').append(Float.toString(v));
                csv.append('\n');
            }
        }
        AtomicFiles.writeString(out, csv.toString());
        System.out.println("wrote " + index + " predictions to " + out);
        return 0;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
        return best;
    }
}
