package io.vitlens.training.cli;

import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigException;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.weights.ImportHints;
import io.vitlens.training.weights.LoadedModel;
import io.vitlens.training.weights.WeightsFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a bare weights file may lack ({@code --heads}, {@code --mean}, ...), as a mixin, and the choice
 * {@code --checkpoint C | --weights W} ({@link Exclusive}), which each command declares itself with
 * {@code @ArgGroup(exclusive = true, multiplicity = "1")}: an option group inside a mixin is listed twice in
 * picocli's help (4.7).
 */
final class ModelSource {
    static final class Exclusive {
        @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A vit-lens checkpoint (runs/NAME/checkpoints/epoch-NNN.zip).")
        Path checkpoint;

        @Option(names = "--weights", required = true, paramLabel = "FILE", description = "timm-named safetensors weights.")
        Path weights;
    }

    @Option(names = "--heads", paramLabel = "H", description = "Head count, for weights files without metadata.")
    Integer heads;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Per-channel normalisation mean in [0,1] units, for weights without metadata.")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel normalisation std, for weights without metadata.")
    float[] std;

    @Option(names = "--class-names", split = ",", paramLabel = "NAME", description = "Class names, for weights without metadata.")
    List<String> classNames;

    /**
     * The stored experiment config when the source is a checkpoint and it still binds, else null. It only gives
     * defaults for the data (--dataset, --data-dir); the model is read without it.
     */
    ExperimentConfig storedConfig;
    /** Why a checkpoint's stored config could not serve as those defaults, or null. */
    String storedConfigProblem;

    LoadedModel load(Exclusive source) throws IOException {
        if (source.checkpoint != null) {
            Checkpoint cp = CheckpointIO.read(source.checkpoint, false);
            try {
                storedConfig = cp.config();
            } catch (ConfigException e) {   // e.g. a key renamed since: the model still reads, the data needs flags
                storedConfigProblem = e.getMessage();
            }
            return new LoadedModel(cp.graph(), cp.vit(), cp.normalization(), source.checkpoint.toString());
        }
        return WeightsFile.load(source.weights, hints());
    }

    ImportHints hints() {
        return new ImportHints(heads, mean, std, classNames, null, null, null);
    }
}
