package io.vitlens.training.cli;

import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ExperimentConfig;
import io.vitlens.training.weights.ImportHints;
import io.vitlens.training.weights.LoadedModel;
import io.vitlens.training.weights.WeightsFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code --checkpoint C | --weights W} (exactly one), plus what a bare weights file may lack. */
final class ModelSource {
    static final class Exclusive {
        @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A vit-lens checkpoint (runs/NAME/checkpoints/epoch-NNN.zip).")
        Path checkpoint;

        @Option(names = "--weights", required = true, paramLabel = "FILE", description = "timm-named safetensors weights.")
        Path weights;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Exclusive source;

    @Option(names = "--heads", paramLabel = "H", description = "Head count, for weights files without metadata.")
    Integer heads;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Per-channel normalisation mean in [0,1] units, for weights without metadata.")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel normalisation std, for weights without metadata.")
    float[] std;

    @Option(names = "--class-names", split = ",", paramLabel = "NAME", description = "Class names, for weights without metadata.")
    List<String> classNames;

    /** The stored experiment config when the source is a checkpoint, else null. */
    ExperimentConfig storedConfig;

    LoadedModel load() throws IOException {
        if (source.checkpoint != null) {
            Checkpoint cp = CheckpointIO.read(source.checkpoint, false);
            storedConfig = cp.config();
            return new LoadedModel(cp.graph(), cp.vit(), cp.normalization(), source.checkpoint.toString());
        }
        return WeightsFile.load(source.weights, hints());
    }

    ImportHints hints() {
        return new ImportHints(heads, mean, std, classNames, null, null, null);
    }

    @Override public String toString() {
        return source.checkpoint != null ? source.checkpoint.toString() : source.weights + " " + Arrays.toString(mean);
    }
}
