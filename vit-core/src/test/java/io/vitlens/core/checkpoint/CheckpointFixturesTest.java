package io.vitlens.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.ViTGraph;
import io.vitlens.core.model.WarmupCosineSchedule;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints written by earlier versions (src/test/resources/checkpoints, never regenerated) read with vit-core
 * alone and give exactly the logits recorded when they were written; reading ignores what it does not need.
 */
class CheckpointFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/checkpoints");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OLD_SCHEDULE = "io.vitlens.training.optim.WarmupCosineSchedule";

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"v1-learned-cls", "v1-sincos2d-mean-tied"})
    void aCheckpointOfFormat1ReadsWithItsRecordedLogits(String name) throws IOException {
        Path zip = DIR.resolve(name + ".zip");
        JsonNode expected = JSON.readTree(DIR.resolve(name + ".json").toFile());
        assertThrows(ClassNotFoundException.class, () -> Class.forName(OLD_SCHEDULE), "vit-core alone: no training module");
        assertTrue(modelConfiguration(zip).contains("\"" + OLD_SCHEDULE + "\""), "the fixture names the moved class");

        for (boolean updater : new boolean[]{false, true}) {
            ModelCheckpoint cp = CheckpointReader.read(zip, updater);
            assertEquals(1, cp.formatVersion());
            assertEquals(expected.get("epoch").intValue(), cp.epoch());
            assertEquals(vit(expected.get("model")), cp.vit());
            assertArrayEquals(floats(expected.get("mean")), cp.normalization().mean(), 0f);
            assertArrayEquals(floats(expected.get("std")), cp.normalization().std(), 0f);
            assertEquals(strings(expected.get("classNames")), cp.normalization().classNames());
            assertLogits(expected, cp.graph());
            if (updater) {
                ISchedule s = ((Adam) ((BaseLayer) cp.graph().getLayer(ViTGraph.OUTPUT).conf().getLayer()).getIUpdater())
                        .getLearningRateSchedule();
                assertEquals(WarmupCosineSchedule.class, s.getClass(), "the old name maps to the vit-core schedule");
                assertEquals(new WarmupCosineSchedule(0.01, 1e-5, 0, 4), s, "its parameters as stored");
                assertTrue(cp.graph().getUpdater().getStateViewArray().sumNumber().doubleValue() != 0, "Adam's moments");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-learned-cls"})
    void keysItDoesNotKnowAndAnInvalidDataSectionDoNotStopIt(String name) throws IOException {
        Path zip = DIR.resolve(name + ".zip");
        JsonNode expected = JSON.readTree(DIR.resolve(name + ".json").toFile());
        Path changed = withMeta(zip, tmp.resolve("later.zip"), m -> {
            m.put("formatVersion", 1);
            m.put("writtenBy", "a later vit-lens");
            ObjectNode cfg = (ObjectNode) m.get("config");
            ((ObjectNode) cfg.get("model")).put("layer-scale", 0.1);      // a key added later
            cfg.putObject("data").put("dataset", "no-such-dataset").put("batch-size", -3).put("renamed-key", 1);
            cfg.remove("train");                                            // the training state is not the model
            cfg.putObject("schedule").put("kind", "cosine");
        });
        ModelCheckpoint cp = CheckpointReader.read(changed, false);
        assertEquals(vit(expected.get("model")), cp.vit());
        assertLogits(expected, cp.graph());
    }

    @org.junit.jupiter.api.Test
    void aBadModelSectionIsNamedWithItsValue() throws IOException {
        Path zip = DIR.resolve("v1-learned-cls.zip");
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(
                withMeta(zip, tmp.resolve("a.zip"), m -> ((ObjectNode) m.get("config").get("model")).put("dim", "eight")), false));
        assertTrue(e.getMessage().endsWith("a.zip: config.model.dim: expected an integer, found \"eight\""), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(
                withMeta(zip, tmp.resolve("b.zip"), m -> ((ObjectNode) m.get("config").get("model")).remove("heads")), false));
        assertTrue(e.getMessage().endsWith("b.zip: config.model.heads: missing; expected an integer"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(
                withMeta(zip, tmp.resolve("c.zip"), m -> ((ObjectNode) m.get("config").get("model")).put("pooling", "max")), false));
        assertTrue(e.getMessage().contains("c.zip: stored config is invalid: model.pooling: unknown pooling 'max'"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> CheckpointReader.read(
                withMeta(zip, tmp.resolve("d.zip"), m -> ((ObjectNode) m.get("config").get("model")).put("patch-size", 3)), false));
        assertTrue(e.getMessage().contains("stored config is invalid: model.patch-size: 3 does not divide model.image-size 8"),
                e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void legacyNamesAreReplacedOnlyInClassFields() throws IOException {
        byte[] json = ("{\"a\":{\"@class\":\"" + OLD_SCHEDULE + "\",\"baseValue\":0.5},\"name\":\"" + OLD_SCHEDULE + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode out = JSON.readTree(LegacyClassNames.updateConfiguration(json));
        assertEquals(WarmupCosineSchedule.class.getName(), out.get("a").get("@class").textValue());
        assertEquals(0.5, out.get("a").get("baseValue").doubleValue());
        assertEquals(OLD_SCHEDULE, out.get("name").textValue(), "a value that is no class name is left alone");
        byte[] model = zipBytes(Map.of("configuration.json", "{\"@class\":\"x.Y\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(model == LegacyClassNames.update(model), "nothing to map: the archive is passed on as it is");
    }

    // ---- helpers ----

    /** x[b, c, h, w] = (float) sin(1 + 1000 b + 100 c + 10 h + w), as the fixture JSONs describe. */
    static INDArray input() {
        float[] v = new float[2 * 3 * 8 * 8];
        int i = 0;
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 8; h++)
                    for (int w = 0; w < 8; w++) v[i++] = (float) Math.sin(1 + b * 1000 + c * 100 + h * 10 + w);
        return Nd4j.create(v, new long[]{2, 3, 8, 8}, DataType.FLOAT);
    }

    /** Logits (pooled features times the head) and softmax output, bit for bit. */
    static void assertLogits(JsonNode expected, ComputationGraph g) {
        INDArray x = input();
        INDArray pooled = g.feedForward(new INDArray[]{x}, false, false).get(ViTGraph.NORM);       // [B, D]
        INDArray logits = pooled.mmul(g.getLayer(ViTGraph.OUTPUT).getParam("W"))
                .addiRowVector(g.getLayer(ViTGraph.OUTPUT).getParam("b"));                         // [B, K]
        float[][] got = logits.toFloatMatrix(), probs = g.outputSingle(false, x).toFloatMatrix();
        // Float tolerance, not bits: the products run on OpenBLAS, whose kernels (and so rounding) depend on
        // the CPU and OPENBLAS_CORETYPE, and on the vector loops where the kernel chooser finds those faster.
        for (int b = 0; b < got.length; b++) {
            assertArrayEquals(floats(expected.get("logits").get(b)), got[b], 1e-5f, "logits of image " + b);
            assertArrayEquals(floats(expected.get("probabilities").get(b)), probs[b], 1e-6f, "probabilities of image " + b);
        }
    }

    static ViTConfig vit(JsonNode m) {
        return new ViTConfig(m.get("image-size").intValue(), m.get("channels").intValue(), m.get("patch-size").intValue(),
                m.get("dim").intValue(), m.get("depth").intValue(), m.get("heads").intValue(), m.get("mlp-dim").intValue(),
                m.get("num-classes").intValue(), m.get("dropout").doubleValue(), m.get("drop-path").doubleValue(),
                PosEmbedding.parse(m.get("pos-embedding").textValue()), Pooling.parse(m.get("pooling").textValue()),
                ValueProjection.parse(m.get("value-projection").textValue()), m.get("tie-qk").booleanValue());
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = a.get(i).floatValue();
        return f;
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.textValue()));
        return out;
    }

    interface MetaEdit {
        void apply(ObjectNode meta);
    }

    /** A copy of {@code zip} with checkpoint.json edited (entries stored, as the writer stores them). */
    static Path withMeta(Path zip, Path out, MetaEdit edit) throws IOException {
        Map<String, byte[]> entries = unzip(Files.readAllBytes(zip));
        ObjectNode meta = (ObjectNode) JSON.readTree(entries.get("checkpoint.json"));
        edit.apply(meta);
        entries.put("checkpoint.json", JSON.writeValueAsBytes(meta));
        return Files.write(out, zipBytes(entries));
    }

    private static String modelConfiguration(Path zip) throws IOException {
        return new String(unzip(unzip(Files.readAllBytes(zip)).get("model.dl4j")).get("configuration.json"), StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    private static byte[] zipBytes(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }
}
