package io.vitlens.training.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.weights.Safetensors;
import io.vitlens.core.weights.SafetensorsFile;
import io.vitlens.core.weights.TensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Broken checkpoints and safetensors files through the commands that read them ({@code export}, {@code eval},
 * {@code import}, {@code predict}, {@code train --resume}): exit status 2, one paragraph naming the file and the
 * problem, no stack trace, no output file.
 */
class BadModelFileTest {
    @TempDir static Path shared;
    static ModelFiles.Fixture fx;

    @TempDir Path dir;

    @BeforeAll
    static void trainTinyRun() {
        fx = ModelFiles.train(shared);
    }

    interface Maker {
        Path make(Path dir) throws IOException;
    }

    record Case(String name, Maker maker, List<String> fragments) {
        @Override public String toString() { return name; }
    }

    static Case c(String name, Maker m, String... f) { return new Case(name, m, List.of(f)); }

    // ---- checkpoints ----

    static Stream<Case> checkpoints() {
        return Stream.of(
                c("missing file", d -> d.resolve("epoch-009.zip"), "epoch-009.zip", "no such checkpoint file"),
                c("empty file", d -> Files.write(d.resolve("e.zip"), new byte[0]), "e.zip", "not a vit-lens checkpoint"),
                c("text file", d -> Files.writeString(d.resolve("t.zip"), "hello"), "t.zip", "not a zip archive"),
                c("truncated to 50%", d -> DataFiles.cut(Files.copy(fx.checkpoint1(), d.resolve("half.zip")), 0.5),
                        "half.zip", "not a zip archive, or truncated"),
                c("truncated by 10 bytes", d -> {
                    byte[] b = ModelFiles.read(fx.checkpoint1());
                    return ModelFiles.write(d.resolve("short.zip"), Arrays.copyOf(b, b.length - 10));
                }, "short.zip", "truncated"),
                c("a flipped byte inside the model", d -> {
                    byte[] b = ModelFiles.read(fx.checkpoint1());
                    b[b.length / 2] ^= 0x01;   // the model entry is stored uncompressed and fills most of the file
                    return ModelFiles.write(d.resolve("flip.zip"), b);
                }, "flip.zip", "model.dl4j", "fails its CRC-32 check"),
                c("zip without checkpoint.json", d -> {
                    Map<String, byte[]> e = ModelFiles.entries(fx.checkpoint1());
                    e.remove("checkpoint.json");
                    return ModelFiles.zip(d.resolve("nometa.zip"), e);
                }, "nometa.zip", "entry 'checkpoint.json' is missing"),
                c("zip without model.dl4j", d -> {
                    Map<String, byte[]> e = ModelFiles.entries(fx.checkpoint1());
                    e.remove("model.dl4j");
                    return ModelFiles.zip(d.resolve("nomodel.zip"), e);
                }, "nomodel.zip", "entry 'model.dl4j' is missing"),
                c("model.dl4j is not a model", d -> {
                    Map<String, byte[]> e = ModelFiles.entries(fx.checkpoint1());
                    e.put("model.dl4j", "definitely not a DL4J model".getBytes());
                    return ModelFiles.zip(d.resolve("junkmodel.zip"), e);
                }, "junkmodel.zip", "model.dl4j is not a valid DL4J model archive"),
                c("model.dl4j without parameters", d -> {
                    Map<String, byte[]> e = ModelFiles.entries(fx.checkpoint1());
                    Map<String, byte[]> inner = FuzzTest.unzip(e.get("model.dl4j"));
                    inner.remove("coefficients.bin");
                    e.put("model.dl4j", FuzzTest.zipBytes(inner));
                    return ModelFiles.zip(d.resolve("noparams.zip"), e);
                }, "noparams.zip", "model.dl4j holds no coefficients.bin"),
                c("a corrupt array length inside model.dl4j (CRCs intact)", d -> {
                    // this once crashed the JVM in ND4J's native allocation; now it is refused before ND4J reads it
                    Map<String, byte[]> e = ModelFiles.entries(fx.checkpoint1());
                    Map<String, byte[]> inner = FuzzTest.unzip(e.get("model.dl4j"));
                    byte[] coeff = inner.get("coefficients.bin");
                    int second = indexOf(coeff, "MIXED_DATA_TYPES".getBytes(), indexOf(coeff, "MIXED_DATA_TYPES".getBytes(), 0) + 1);
                    java.nio.ByteBuffer.wrap(coeff, second + 16, 8).putLong(0x7fff_ffff_ffffL);   // the data length
                    e.put("model.dl4j", FuzzTest.zipBytes(inner));
                    return ModelFiles.zip(d.resolve("len.zip"), e);
                }, "len.zip", "model.dl4j/coefficients.bin is not a valid ND4J array",
                        "the shape holds 19428 values but the data header says 140737488355327"),
                c("checkpoint.json is not JSON", d -> {
                    Map<String, byte[]> e = ModelFiles.entries(fx.checkpoint1());
                    e.put("checkpoint.json", "{\"formatVersion\": 1, ".getBytes());
                    return ModelFiles.zip(d.resolve("badjson.zip"), e);
                }, "badjson.zip", "checkpoint.json is not valid checkpoint metadata"),
                c("newer format version", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("v2.zip"),
                        m -> m.put("formatVersion", 2)), "v2.zip", "checkpoint format 2 is newer than this vit-lens reads (up to 1)"),
                c("format version 0", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("v0.zip"),
                        m -> m.put("formatVersion", 0)), "v0.zip", "checkpoint format 0 is not a valid version"),
                c("no stored config", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("nocfg.zip"),
                        m -> (ObjectNode) m.without("config")), "nocfg.zip", "has no 'config'"),
                c("stored config invalid", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("badcfg.zip"), m -> {
                    ((ObjectNode) m.get("config").get("model")).put("dim", 31);
                    return m;
                }), "badcfg.zip", "stored config is invalid", "model.dim: 31 is not divisible by model.heads 2"),
                c("another architecture inside", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("mixed.zip"), m -> {
                    ((ObjectNode) m.get("config").get("model")).put("dim", 64);
                    return m;
                }), "mixed.zip", "the checkpoint mixes two architectures", "dim=64"),
                c("one block more in the config than in the model", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("deeper.zip"), m -> {
                    ((ObjectNode) m.get("config").get("model")).put("depth", 3);
                    return m;
                }), "deeper.zip", "has no layer 'block2'", "mixes two architectures"),
                c("normalisation for 2 channels", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("mean.zip"), m -> {
                    m.putArray("mean").add(0.5).add(0.5);
                    return m;
                }), "mean.zip", "'mean' and 'std' must hold one value per channel (3), found 2 and 3"),
                c("a zero std", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("std.zip"), m -> {
                    m.putArray("std").add(0.2).add(0.0).add(0.2);
                    return m;
                }), "std.zip", "normalization.std[1]: 0.0 is not > 0"),
                c("3 class names for 4 classes", d -> ModelFiles.withMeta(fx.checkpoint1(), d.resolve("names.zip"), m -> {
                    m.putArray("classNames").add("a").add("b").add("c");
                    return m;
                }), "names.zip", "'classNames' must list 4 classes (model.num-classes), found 3"));
    }

    @ParameterizedTest(name = "export: {0}")
    @MethodSource("checkpoints")
    void exportRefusesABrokenCheckpoint(Case c) throws IOException {
        Path cp = c.maker().make(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        Vit.Result r = Vit.run("export", "--checkpoint", cp.toString(), "--out", out.resolve("w.safetensors").toString());
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertEquals(List.of(), Vit.files(out));
    }

    @ParameterizedTest(name = "eval: {0}")
    @MethodSource("checkpoints")
    void evalRefusesABrokenCheckpoint(Case c) throws IOException {
        Path cp = c.maker().make(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        Vit.Result r = Vit.run("eval", "--checkpoint", cp.toString(), "--limit", "8", "--json", out.resolve("r.json").toString());
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertEquals(List.of(), Vit.files(out));
    }

    @Test
    void resumingWithAnotherArchitectureIsRefusedAndTouchesNothing() throws IOException {
        Path run = dir.resolve("run");
        copyTree(fx.run(), run);
        Map<Path, byte[]> before = snapshot(run);
        // the run's own resolved config, one width wider
        Path other = Vit.write(dir.resolve("wide.yaml"), Files.readString(run.resolve("config.yaml")).replace("dim: 32", "dim: 64"));
        Vit.Result r = Vit.run("train", "--resume", "--config", other.toString(), "--out", run.toString());
        Vit.assertBadInput(r, "epoch-001.zip", "checkpoint architecture", "dim=32", "dim=64");
        assertSnapshotEquals(before, snapshot(run));
    }

    @Test
    void checkpointOnADatasetOfAnotherShapeIsRefused() throws IOException {
        Path mnist = DataFiles.mnist(dir.resolve("mnist"));
        Vit.Result r = Vit.run("eval", "--checkpoint", fx.checkpoint1().toString(), "--dataset", "mnist", "--data-dir", mnist.toString());
        // mnist is 28x28 while the model takes 16x16: refused before any image is fed
        Vit.assertBadInput(r, "28");
    }

    // ---- safetensors ----

    static Stream<Case> weights() {
        return Stream.of(
                c("missing file", d -> d.resolve("none.safetensors"), "none.safetensors", "no such file"),
                c("empty file", d -> Files.write(d.resolve("e.safetensors"), new byte[0]),
                        "e.safetensors", "shorter than the 8-byte header length field"),
                c("header length beyond the limit", d -> ModelFiles.write(d.resolve("huge.safetensors"),
                        ModelFiles.withHeaderLength(ModelFiles.read(fx.weights()), 1L << 40)), "huge.safetensors", "exceeds the", "limit"),
                c("header length beyond the file", d -> {
                    byte[] b = ModelFiles.read(fx.weights());
                    return ModelFiles.write(d.resolve("long.safetensors"), ModelFiles.withHeaderLength(b, b.length));
                }, "long.safetensors", "file truncated?"),
                c("negative header length", d -> ModelFiles.write(d.resolve("neg.safetensors"),
                        ModelFiles.withHeaderLength(ModelFiles.read(fx.weights()), -5)), "neg.safetensors", "header length"),
                c("header is not JSON", d -> ModelFiles.write(d.resolve("json.safetensors"),
                        ModelFiles.withHeader(ModelFiles.read(fx.weights()), "{\"head.bias\": {\"dtype\": ")),
                        "json.safetensors", "header is not valid JSON"),
                c("offsets outside the file", d -> {
                    byte[] b = ModelFiles.read(fx.weights());
                    ObjectNode h = ModelFiles.header(b);
                    ObjectNode last = lastTensor(h);
                    long end = last.get("data_offsets").get(1).asLong();
                    last.putArray("data_offsets").add(end - 4).add(end + 4000);
                    return ModelFiles.write(d.resolve("off.safetensors"), ModelFiles.withHeader(b, h.toString()));
                }, "off.safetensors", "reach outside the data section"),
                c("dtype I32", d -> {
                    byte[] b = ModelFiles.read(fx.weights());
                    ObjectNode h = ModelFiles.header(b);
                    ((ObjectNode) h.get("head.bias")).put("dtype", "I32");
                    return ModelFiles.write(d.resolve("i32.safetensors"), ModelFiles.withHeader(b, h.toString()));
                }, "i32.safetensors", "tensor 'head.bias'", "dtype I32 is not supported"),
                c("dtype BOOL", d -> {
                    byte[] b = ModelFiles.read(fx.weights());
                    ObjectNode h = ModelFiles.header(b);
                    ((ObjectNode) h.get("norm.weight")).put("dtype", "BOOL");
                    return ModelFiles.write(d.resolve("bool.safetensors"), ModelFiles.withHeader(b, h.toString()));
                }, "bool.safetensors", "tensor 'norm.weight'", "dtype BOOL is not supported", "only F32"),
                c("shape that contradicts the byte count", d -> {
                    byte[] b = ModelFiles.read(fx.weights());
                    ObjectNode h = ModelFiles.header(b);
                    ((ObjectNode) h.get("head.bias")).putArray("shape").add(5);
                    return ModelFiles.write(d.resolve("count.safetensors"), ModelFiles.withHeader(b, h.toString()));
                }, "count.safetensors", "tensor 'head.bias'", "needs 20 bytes", "span 16"),
                c("shape that contradicts the metadata", d -> rewrite(d.resolve("meta.safetensors"), (t, m) -> m.put("dim", "64")),
                        "meta.safetensors", "metadata 'dim' = 64 contradicts tensor patch_embed.proj.weight, whose shape gives 32"),
                c("metadata that is not a number", d -> rewrite(d.resolve("nan.safetensors"), (t, m) -> m.put("heads", "two")),
                        "nan.safetensors", "metadata 'heads' = 'two' is not an integer"),
                c("tensor of the wrong shape for the architecture", d -> rewrite(d.resolve("qkv.safetensors"),
                        (t, m) -> t.put("blocks.1.attn.qkv.weight", new TensorData(new long[]{95, 32}, new float[95 * 32]))),
                        "qkv.safetensors", "blocks.1.attn.qkv.weight", "[95, 32]", "expected [96, 32]"),
                c("missing tensor", d -> rewrite(d.resolve("nohead.safetensors"), (t, m) -> t.remove("head.weight")),
                        "nohead.safetensors", "tensor 'head.weight' is missing"),
                c("no head count anywhere", d -> rewrite(d.resolve("noheads.safetensors"), (t, m) -> m.remove("heads")),
                        "noheads.safetensors", "pass --heads"),
                c("truncated to 70%", d -> DataFiles.cut(Files.copy(fx.weights(), d.resolve("cut.safetensors")), 0.7),
                        "cut.safetensors", "data section"));
    }

    @ParameterizedTest(name = "import: {0}")
    @MethodSource("weights")
    void importRefusesBrokenWeights(Case c) throws IOException {
        Path w = c.maker().make(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        Vit.Result r = Vit.run("import", "--weights", w.toString(), "--out", out.resolve("m.zip").toString());
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertEquals(List.of(), Vit.files(out));
    }

    @ParameterizedTest(name = "predict: {0}")
    @MethodSource("weights")
    void predictRefusesBrokenWeights(Case c) throws IOException {
        Path w = c.maker().make(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        Vit.Result r = Vit.run("predict", "--weights", w.toString(), "--dataset", "synthetic-shapes", "--limit", "4",
                "--out", out.resolve("p.csv").toString());
        Vit.assertBadInput(r, c.fragments().toArray(new String[0]));
        assertEquals(List.of(), Vit.files(out));
    }

    // ---- helpers ----

    interface Edit {
        void apply(Map<String, TensorData> tensors, Map<String, String> metadata);
    }

    /** The fixture's weights with tensors or metadata edited, written as a well-formed safetensors file. */
    static Path rewrite(Path out, Edit edit) throws IOException {
        SafetensorsFile f = Safetensors.read(fx.weights());
        Map<String, TensorData> t = new LinkedHashMap<>(f.tensors());
        Map<String, String> m = new LinkedHashMap<>(f.metadata());
        edit.apply(t, m);
        Safetensors.write(out, t, m);
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    static ObjectNode lastTensor(ObjectNode header) {
        ObjectNode last = null;
        for (var it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            ObjectNode t = (ObjectNode) e.getValue();
            if (last == null || t.get("data_offsets").get(1).asLong() > last.get("data_offsets").get(1).asLong()) last = t;
        }
        return last;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
    }

    static Map<Path, byte[]> snapshot(Path root) {
        Map<Path, byte[]> m = new java.util.TreeMap<>();
        for (Path p : Vit.files(root)) m.put(root.relativize(p), ModelFiles.read(p));
        return m;
    }

    static void assertSnapshotEquals(Map<Path, byte[]> a, Map<Path, byte[]> b) {
        assertEquals(a.keySet(), b.keySet(), "the same files");
        for (Path p : a.keySet()) assertArrayEquals(a.get(p), b.get(p), p + " unchanged");
    }
}
