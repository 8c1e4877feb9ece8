package io.vitlens.training.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.training.RunDirectory;
import io.vitlens.training.Trainer;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the checkpoint fixtures of vit-core/src/test/resources/checkpoints: tiny runs (8x8 images, patch 4,
 * D 8, one block) trained one epoch by the trainer of the commit that writes them, each with a JSON of the
 * logits its model gives for a fixed input. Run once per checkpoint format, never to "refresh" old fixtures:
 * their point is to be what an older vit-lens wrote. Usage: {@code CheckpointFixtureWriter OUT_DIR SCRATCH_DIR TAG}.
 */
public final class CheckpointFixtureWriter {
    private CheckpointFixtureWriter() {}

    static final String BASE = """
            name: fixture
            seed: 5
            model:
              image-size: 8
              patch-size: 4
              dim: 8
              depth: 1
              heads: 2
              mlp-dim: 16
              num-classes: 3
            data:
              dataset: synthetic-shapes
              batch-size: 16
              synthetic:
                train-size: 64
                test-size: 16
                num-classes: 3
            train:
              epochs: 1
              warmup-epochs: 0
              lr: 0.01
              checkpoint-every: 1
            """;

    /** name -> --set overrides. */
    static final Map<String, List<String>> VARIANTS = Map.of(
            "learned-cls", List.of(),
            "sincos2d-mean-tied", List.of("model.pos-embedding=sincos2d", "model.pooling=mean", "model.tie-qk=true"));

    /** The fixed input [2, 3, 8, 8], already normalised: x = sin(1 + b*1000 + c*100 + h*10 + w), in float. */
    static INDArray input() {
        float[] v = new float[2 * 3 * 8 * 8];
        int i = 0;
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 8; h++)
                    for (int w = 0; w < 8; w++) v[i++] = (float) Math.sin(1 + b * 1000 + c * 100 + h * 10 + w);
        return Nd4j.create(v, new long[]{2, 3, 8, 8}, DataType.FLOAT);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]), scratch = Path.of(args[1]);
        String tag = args[2];
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (Map.Entry<String, List<String>> v : VARIANTS.entrySet()) {
            ExperimentConfig cfg = ConfigLoader.parse(BASE, "fixture", v.getValue());
            RunDirectory run = RunDirectory.prepare(scratch.resolve(v.getKey()), false, true);
            new Trainer(cfg, run, null).run(false);
            Path zip = out.resolve(tag + "-" + v.getKey() + ".zip");
            Files.copy(run.checkpoint(1), zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            Checkpoint cp = CheckpointIO.read(zip, false);
            ComputationGraph g = cp.graph();
            INDArray x = input();
            Map<String, INDArray> acts = g.feedForward(new INDArray[]{x}, false, false);
            INDArray pooled = acts.get(ViTGraph.NORM);                                            // [B, D]
            INDArray logits = pooled.mmul(g.getLayer(ViTGraph.OUTPUT).getParam("W"))
                    .addiRowVector(g.getLayer(ViTGraph.OUTPUT).getParam("b"));                     // [B, K]
            INDArray probs = g.outputSingle(false, x);                                            // [B, K]

            ObjectNode root = json.createObjectNode();
            root.put("checkpoint", zip.getFileName().toString());
            root.put("writtenBy", tag);
            root.put("input", "x[b, c, h, w] = (float) sin(1 + 1000 b + 100 c + 10 h + w), shape [2, 3, 8, 8], "
                    + "fed to the graph as it is (already normalised)");
            root.put("epoch", cp.meta().epoch());
            root.put("step", cp.meta().step());
            root.set("model", cp.meta().config().get("model"));
            root.set("mean", json.valueToTree(cp.meta().mean()));
            root.set("std", json.valueToTree(cp.meta().std()));
            root.set("classNames", json.valueToTree(cp.meta().classNames()));
            root.set("logits", rows(json, logits));
            root.set("probabilities", rows(json, probs));
            json.writeValue(out.resolve(tag + "-" + v.getKey() + ".json").toFile(), root);
            System.out.println("wrote " + zip + " (" + Files.size(zip) + " bytes)");
        }
    }

    /** Float values as JSON numbers that read back to the same float (Float.toString is the shortest such). */
    private static ArrayNode rows(ObjectMapper json, INDArray m) {
        ArrayNode a = json.createArrayNode();
        for (float[] row : m.toFloatMatrix()) {
            ArrayNode r = a.addArray();
            for (float f : row) r.add(Float.parseFloat(Float.toString(f)));
        }
        return a;
    }
}
