package io.vitlens.training.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.CheckpointMeta;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.DataSection;
import io.vitlens.training.config.ModelSection;
import io.vitlens.training.weights.ImportHints;
import io.vitlens.training.weights.LoadedModel;
import io.vitlens.training.weights.WeightsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import timm-named safetensors weights into a vit-lens checkpoint (for eval, predict, analyze).",
                "Example: vit import --weights vit.safetensors --heads 4 --mean 0.49,0.48,0.45 --std 0.25,0.24,0.26 --out imported.zip"})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "timm-named safetensors weights to import.")
    Path weights;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Checkpoint to write.") Path out;
    @Option(names = "--heads", paramLabel = "H", description = "Head count, for weights files without metadata.") Integer heads;
    @Option(names = "--mean", split = ",", paramLabel = "M",
            description = "Per-channel normalisation mean in [0,1] units, for weights without metadata.") float[] mean;
    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel normalisation std, for weights without metadata.")
    float[] std;
    @Option(names = "--class-names", split = ",", paramLabel = "NAME", description = "Class names, for weights without metadata.")
    List<String> classNames;
    @Option(names = "--dataset", paramLabel = "NAME", description = "Dataset to record in the checkpoint's config (default: synthetic-shapes).")
    String dataset;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = WeightsFile.load(weights, new ImportHints(heads, mean, std, classNames, null, null, null));
        String data = dataset != null ? dataset : DataSection.DEFAULTS.dataset();
        ExperimentConfig cfg;
        try {   // the stored config must bind again when the checkpoint is evaluated or analysed
            ExperimentConfig d = ExperimentConfig.defaults();
            cfg = new ExperimentConfig("imported", d.seed(), ModelSection.from(m.vit()), d.data().withDataset(data), d.train());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--dataset " + data + ": does not fit the imported model (" + e.getMessage() + ")", e);
        }
        ObjectNode tree = (ObjectNode) ConfigLoader.toTree(cfg);
        CheckpointMeta meta = new CheckpointMeta(CheckpointMeta.FORMAT_VERSION, 0, 0, 0, tree,
                m.normalization().mean(), m.normalization().std(), m.normalization().classNames(), null, Instant.now().toString());
        CheckpointIO.write(out, meta, m.graph());
        System.out.println("imported " + ViTGraph.parameterCount(m.graph()) + " parameters into " + out);
        return 0;
    }
}
