package io.vitlens.training.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.weights.Safetensors;
import io.vitlens.training.checkpoint.CheckpointIO;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random bytes and random mutations of a valid config, checkpoint and safetensors file, fed to the real
 * command line. Every run must end cleanly: exit 0 with a valid output (the mutation was harmless) or exit 2 with
 * one error paragraph and no output file; never exit 1, an exception escaping {@code Main.run}, or a hang.
 */
class FuzzTest {
    static final int CONFIG_CASES = 500, CONFIG_RANDOM = 40;
    static final int CHECKPOINT_CASES = 200, CHECKPOINT_RANDOM = 10;
    static final int WEIGHTS_CASES = 250, WEIGHTS_RANDOM = 10;
    /** A safety net against hangs, far above the few seconds each part takes on 2 busy cores. */
    static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir static Path shared;
    static ModelFiles.Fixture fx;

    @TempDir Path dir;

    @BeforeAll
    static void trainTinyRun() {
        fx = ModelFiles.train(shared);
    }

    /** Counts of the two allowed outcomes, reported so that a degenerate fuzzer (all accepted or all refused) shows. */
    static final class Outcomes {
        int accepted, refused;

        void check(String what) {
            System.out.println("fuzz " + what + ": " + accepted + " accepted, " + refused + " refused with exit 2");
            assertTrue(accepted > 0 && refused > 0, what + ": both outcomes must occur, or the mutations test nothing: " + this);
        }

        @Override public String toString() { return accepted + " accepted / " + refused + " refused"; }
    }

    /** Runs the command; exit 0 or a clean exit 2 only. Returns true when accepted. */
    static boolean clean(String caseName, byte[] input, String... args) {
        Vit.Result r;
        try {
            r = Vit.run(args);
        } catch (Throwable t) {
            throw new AssertionError(caseName + ": exception escaped the command line for input "
                    + preview(input) + ": " + t, t);
        }
        if (r.status() == 0) return true;
        if (r.status() != 2) fail(caseName + ": exit " + r.status() + " (expected 0 or 2) for input " + preview(input) + "\n" + r);
        Vit.assertBadInput(r);
        return false;
    }

    // ---- configs ----

    @Test
    void mutatedConfigs() {
        Outcomes o = new Outcomes();
        ExperimentConfig valid = ConfigLoader.parse(Vit.TINY_YAML, "tiny", List.of());
        assertTimeoutPreemptively(LIMIT, () -> {
            Random rnd = new Random(20240601L);
            for (int c = 0; c < CONFIG_CASES + CONFIG_RANDOM; c++) {
                byte[] bytes = c < CONFIG_CASES ? mutateYaml(Vit.TINY_YAML, rnd).getBytes(StandardCharsets.UTF_8) : randomBytes(rnd, 400);
                Path f = Files.write(dir.resolve("c.yaml"), bytes);
                Path out = dir.resolve("run");
                if (clean("config case " + c, bytes, "train", "--dry-run", "--config", f.toString(), "--out", out.toString())) {
                    o.accepted++;
                    // harmless means really valid: the resolved config loads again and trains the same architecture kind
                    ExperimentConfig again = ConfigLoader.parse(Vit.run("train", "--dry-run", "--config", f.toString(),
                            "--out", out.toString()).out(), "resolved", List.of());
                    assertEquals(again.vit(), ConfigLoader.load(f, List.of()).vit());
                } else {
                    o.refused++;
                }
                assertEquals(List.of(), Vit.files(out), "a dry run writes nothing");
            }
        });
        assertTrue(valid.vit().dim() == 32);
        o.check("configs");
    }

    static final List<String> NASTY = List.of("-1", "0", "1e400", "2.5", "abc", "~", "[]", "{}", "99999999999", ".nan",
            "\"\"", "true", "[1, 2]", "{a: 1}", "-0.0", "0x1F", "1_000");

    static String mutateYaml(String y, Random rnd) {
        List<String> lines = new ArrayList<>(y.lines().toList());
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            int li = rnd.nextInt(lines.size());
            String line = lines.get(li);
            switch (rnd.nextInt(9)) {
                case 0 -> lines.remove(li);                                        // drop a line
                case 1 -> lines.add(li, line);                                     // duplicate it (duplicate key)
                case 2 -> lines.set(li, " ".repeat(rnd.nextInt(5)) + line.strip());   // re-indent
                case 3 -> {                                                        // a nasty value
                    int colon = line.indexOf(':');
                    if (colon > 0) lines.set(li, line.substring(0, colon + 1) + " " + NASTY.get(rnd.nextInt(NASTY.size())));
                }
                case 4 -> {                                                        // change a digit
                    int[] d = line.chars().map(ch -> Character.isDigit(ch) ? 1 : 0).toArray();
                    for (int i = 0; i < d.length; i++)
                        if (d[i] == 1 && rnd.nextBoolean()) {
                            char[] cs = line.toCharArray();
                            cs[i] = (char) ('0' + rnd.nextInt(10));
                            lines.set(li, new String(cs));
                            break;
                        }
                }
                case 5 -> {                                                        // swap two lines
                    int lj = rnd.nextInt(lines.size());
                    lines.set(li, lines.get(lj));
                    lines.set(lj, line);
                }
                case 6 -> {                                                        // one character replaced
                    if (line.isEmpty()) break;
                    String chars = ":-[]{}#\"'\t &*!|>%@`,?";
                    int i = rnd.nextInt(line.length());
                    lines.set(li, line.substring(0, i) + chars.charAt(rnd.nextInt(chars.length())) + line.substring(i + 1));
                }
                case 7 -> {                                                        // a key renamed to another key
                    int colon = line.indexOf(':');
                    String other = lines.get(rnd.nextInt(lines.size())).strip();
                    int oc = other.indexOf(':');
                    if (colon > 0 && oc > 0) lines.set(li, line.substring(0, line.length() - line.stripLeading().length())
                            + other.substring(0, oc) + line.substring(colon));
                }
                default -> {                                                       // cut the text here
                    return String.join("\n", lines.subList(0, li)) + "\n" + line.substring(0, rnd.nextInt(line.length() + 1));
                }
            }
            if (lines.isEmpty()) return "";
        }
        return String.join("\n", lines) + "\n";
    }

    // ---- checkpoints ----

    @Test
    void mutatedCheckpoints() {
        Outcomes o = new Outcomes();
        byte[] original = ModelFiles.read(fx.checkpoint1());
        Map<String, byte[]> entries = ModelFiles.entries(fx.checkpoint1());
        Map<String, byte[]> inner = unzip(entries.get("model.dl4j"));
        assertTimeoutPreemptively(LIMIT, () -> {
            Random rnd = new Random(77L);
            for (int c = 0; c < CHECKPOINT_CASES + CHECKPOINT_RANDOM; c++) {
                byte[] bytes = c < CHECKPOINT_CASES ? mutateCheckpoint(original, entries, inner, rnd) : randomBytes(rnd, 3000);
                Path cp = Files.write(dir.resolve("m.zip"), bytes);
                Path out = Files.createDirectories(dir.resolve("out"));
                Path w = out.resolve("w.safetensors");
                if (clean("checkpoint case " + c, bytes, "export", "--checkpoint", cp.toString(), "--out", w.toString())) {
                    o.accepted++;
                    assertEquals(List.of(w), Vit.files(out));
                    Safetensors.read(w);   // the export of an accepted checkpoint is a valid file
                    Files.delete(w);
                } else {
                    o.refused++;
                    assertEquals(List.of(), Vit.files(out), "no output for a refused checkpoint");
                }
            }
        });
        o.check("checkpoints");
    }

    static byte[] mutateCheckpoint(byte[] original, Map<String, byte[]> entries, Map<String, byte[]> inner, Random rnd) {
        switch (rnd.nextInt(7)) {
            case 0 -> {   // flip bits anywhere in the file
                byte[] b = original.clone();
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                return b;
            }
            case 1 -> {   // cut or extend
                return rnd.nextBoolean() ? Arrays.copyOf(original, rnd.nextInt(original.length))
                        : Arrays.copyOf(original, original.length + 1 + rnd.nextInt(64));
            }
            case 2, 3 -> {   // checkpoint.json: text mutation, or one field set to a nasty value (CRCs valid)
                Map<String, byte[]> e = new java.util.LinkedHashMap<>(entries);
                e.put("checkpoint.json", rnd.nextBoolean() ? mutateText(entries.get("checkpoint.json"), rnd)
                        : mutateJsonField(entries.get("checkpoint.json"), rnd));
                return zipBytes(e);
            }
            case 4 -> {   // model.dl4j's configuration.json: text or field mutation
                Map<String, byte[]> in = new java.util.LinkedHashMap<>(inner);
                in.put("configuration.json", rnd.nextBoolean() ? mutateText(inner.get("configuration.json"), rnd)
                        : mutateJsonField(inner.get("configuration.json"), rnd));
                Map<String, byte[]> e = new java.util.LinkedHashMap<>(entries);
                e.put("model.dl4j", zipBytes(in));
                return zipBytes(e);
            }
            case 5 -> {   // model.dl4j's parameter or updater arrays: bytes flipped, cut (ND4J's own format)
                Map<String, byte[]> in = new java.util.LinkedHashMap<>(inner);
                String name = rnd.nextBoolean() ? "coefficients.bin" : "updaterState.bin";
                byte[] b = in.get(name).clone();
                if (rnd.nextBoolean()) {
                    int at = rnd.nextInt(Math.min(b.length, 200));   // mostly the header: lengths, data types
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                } else {
                    b = Arrays.copyOf(b, rnd.nextInt(b.length));
                }
                in.put(name, b);
                Map<String, byte[]> e = new java.util.LinkedHashMap<>(entries);
                e.put("model.dl4j", zipBytes(in));
                return zipBytes(e);
            }
            default -> {   // an entry dropped or renamed
                Map<String, byte[]> e = new java.util.LinkedHashMap<>(entries);
                String victim = rnd.nextBoolean() ? "checkpoint.json" : "model.dl4j";
                byte[] v = e.remove(victim);
                if (rnd.nextBoolean()) e.put(victim.toUpperCase(), v);
                return zipBytes(e);
            }
        }
    }

    // ---- safetensors ----

    @Test
    void mutatedWeights() {
        Outcomes o = new Outcomes();
        byte[] original = ModelFiles.read(fx.weights());
        assertTimeoutPreemptively(LIMIT, () -> {
            Random rnd = new Random(4242L);
            for (int c = 0; c < WEIGHTS_CASES + WEIGHTS_RANDOM; c++) {
                byte[] bytes = c < WEIGHTS_CASES ? mutateWeights(original, rnd) : randomBytes(rnd, 2000);
                Path w = Files.write(dir.resolve("w.safetensors"), bytes);
                Path out = Files.createDirectories(dir.resolve("out"));
                Path cp = out.resolve("m.zip");
                if (clean("weights case " + c, bytes, "import", "--weights", w.toString(), "--out", cp.toString())) {
                    o.accepted++;
                    CheckpointIO.read(cp, false);   // the import of accepted weights is a valid checkpoint
                    Files.delete(cp);
                } else {
                    o.refused++;
                    assertEquals(List.of(), Vit.files(out), "no output for refused weights");
                }
            }
        });
        o.check("safetensors");
    }

    static byte[] mutateWeights(byte[] original, Random rnd) {
        int headerEnd = 8 + (int) ModelFiles.headerLength(original);
        switch (rnd.nextInt(6)) {
            case 0 -> {   // a digit of the header (shapes, offsets, metadata numbers), same length
                byte[] b = original.clone();
                int[] digits = java.util.stream.IntStream.range(8, headerEnd).filter(i -> Character.isDigit(b[i])).toArray();
                b[digits[rnd.nextInt(digits.length)]] = (byte) ('0' + rnd.nextInt(10));
                return b;
            }
            case 1 -> {   // the header text mutated, then re-framed with its new length
                String h = new String(original, 8, headerEnd - 8, StandardCharsets.UTF_8);
                return ModelFiles.withHeader(original, new String(mutateText(h.getBytes(StandardCharsets.UTF_8), rnd), StandardCharsets.UTF_8));
            }
            case 2 -> {   // one metadata value replaced
                ObjectNode h = ModelFiles.header(original);
                ObjectNode meta = (ObjectNode) h.get("__metadata__");
                List<String> keys = new ArrayList<>();
                meta.fieldNames().forEachRemaining(keys::add);
                List<String> values = List.of("-1", "0", "abc", "", "1", "3", "64", "99999", "cls", "mean", "none", "sincos2d",
                        "learned-2d", "identity", "true", "0.5,0.5", "nan,nan,nan", "a,b");
                meta.put(keys.get(rnd.nextInt(keys.size())), values.get(rnd.nextInt(values.size())));
                return ModelFiles.withHeader(original, h.toString());
            }
            case 3 -> {   // flip bits in the data (NaN weights are still weights)
                byte[] b = original.clone();
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) b[headerEnd + rnd.nextInt(b.length - headerEnd)] ^= (byte) (1 << rnd.nextInt(8));
                return b;
            }
            case 4 -> {   // cut or extend
                return rnd.nextBoolean() ? Arrays.copyOf(original, rnd.nextInt(original.length))
                        : Arrays.copyOf(original, original.length + 1 + rnd.nextInt(16));
            }
            default -> {   // the length field
                long v = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> rnd.nextInt(original.length + 16);
                    default -> headerEnd - 8 + rnd.nextInt(9) - 4;
                };
                return ModelFiles.withHeaderLength(original, v);
            }
        }
    }

    // ---- helpers ----

    static byte[] mutateText(byte[] text, Random rnd) {
        StringBuilder s = new StringBuilder(new String(text, StandardCharsets.UTF_8));
        String chars = "{}[]:,\"0123456789-.eE truefalsnul";
        for (int i = 0, n = 1 + rnd.nextInt(3); i < n && s.length() > 0; i++) {
            int at = rnd.nextInt(s.length());
            switch (rnd.nextInt(3)) {
                case 0 -> s.setCharAt(at, chars.charAt(rnd.nextInt(chars.length())));
                case 1 -> s.deleteCharAt(at);
                default -> s.insert(at, chars.charAt(rnd.nextInt(chars.length())));
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One value somewhere in a JSON tree replaced by a value of another kind or size. */
    static byte[] mutateJsonField(byte[] json, Random rnd) {
        try {
            JsonNode root = ModelFiles.JSON.readTree(json);
            List<JsonNode[]> slots = new ArrayList<>();   // {parent, key-or-index as text node}
            collect(root, slots);
            JsonNode[] slot = slots.get(rnd.nextInt(slots.size()));
            JsonNodeFactory f = JsonNodeFactory.instance;
            JsonNode[] values = {f.numberNode(-1), f.numberNode(0), f.numberNode(1), f.numberNode(7), f.numberNode(64),
                    f.numberNode(1e30), f.textNode("x"), f.nullNode(), f.arrayNode(), f.objectNode(), f.booleanNode(true),
                    f.numberNode(Long.MAX_VALUE), f.numberNode(2.5)};
            JsonNode v = values[rnd.nextInt(values.length)];
            if (slot[0] instanceof ObjectNode o) o.set(slot[1].asText(), v);
            else ((ArrayNode) slot[0]).set(slot[1].asInt(), v);
            return ModelFiles.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode n, List<JsonNode[]> out) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(k -> {
                out.add(new JsonNode[]{o, f.textNode(k)});
                collect(o.get(k), out);
            });
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new JsonNode[]{a, f.textNode(Integer.toString(i))});
                collect(a.get(i), out);
            }
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) out.put(e.getName(), z.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static byte[] zipBytes(Map<String, byte[]> entries) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static byte[] randomBytes(Random rnd, int max) {
        byte[] b = new byte[rnd.nextInt(max)];
        rnd.nextBytes(b);
        return b;
    }

    static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 600), StandardCharsets.UTF_8);
        return b.length + " bytes: " + s.replaceAll("[^\\x20-\\x7e\\n]", "?");
    }
}
