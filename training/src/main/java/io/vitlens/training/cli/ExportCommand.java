package io.vitlens.training.cli;

import io.vitlens.training.checkpoint.Checkpoint;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.checkpoint.EmaEntry;
import io.vitlens.training.weights.WeightsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a checkpoint's weights as timm-named safetensors (configuration in __metadata__).",
                "Example: vit export --checkpoint runs/quickstart/checkpoints/epoch-006.zip --out model.safetensors"})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A vit-lens checkpoint (runs/NAME/checkpoints/epoch-NNN.zip).") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Safetensors file to write.") Path out;
    @Option(names = "--ema", description = "Export the moving average of the weights stored beside the model "
            + "(runs trained with train.ema-decay > 0) instead of the raw weights.") boolean ema;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        Checkpoint cp = CheckpointIO.read(checkpoint, false);
        if (ema) {
            EmaEntry average = CheckpointIO.readEma(checkpoint).orElseThrow(() -> new IllegalArgumentException("--ema: "
                    + checkpoint + " holds no weight average; it was trained with train.ema-decay 0"));
            average.loadInto(cp.graph());
        }
        WeightsFile.export(cp.graph(), cp.vit(), cp.normalization(), out);
        System.out.println("wrote " + out);
        return 0;
    }
}
