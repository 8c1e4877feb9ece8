package io.vitlens.training.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.data.Augmentation;
import io.vitlens.data.SyntheticSpec;
import io.vitlens.training.config.ConfigLoader;
import io.vitlens.training.config.ExperimentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad experiment configs through {@code vit train --config FILE --out DIR}: every one must end with exit
 * status 2, one paragraph naming the file, the key and what was expected, no stack trace, and no run directory.
 */
class BadConfigTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir Path dir;

    /** A case: the YAML text, extra arguments (--set ...), and what the one-paragraph message must contain. */
    record Case(String name, String yaml, List<String> extra, List<String> fragments) {
        @Override public String toString() { return name; }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badConfigIsRefusedCleanly(Case c) {
        Path config = Vit.write(dir.resolve("exp.yaml"), c.yaml());
        Path out = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--config", config.toString(), "--out", out.toString()));
        args.addAll(c.extra());
        Vit.Result r = Vit.run(args.toArray(new String[0]));
        List<String> fragments = new ArrayList<>(c.fragments());
        if (c.extra().isEmpty()) fragments.add(0, config.toString());   // the file is named (--set errors name the option)
        Vit.assertBadInput(r, fragments.toArray(new String[0]));
        assertEquals(List.of(), Vit.files(out), "nothing written for a refused config");
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        all.addAll(wrongTypes());
        all.addAll(badSizes());
        all.addAll(structural());
        all.addAll(syntax());
        all.addAll(overrides());
        return all.stream();
    }

    // ---- every field with a wrong type: enumerated from the config classes, not listed by hand ----

    /** Each leaf key of the config tree (and of the augmentation / synthetic records) with each wrong kind of value. */
    static List<Case> wrongTypes() {
        List<Case> out = new ArrayList<>();
        JsonNode defaults = ConfigLoader.toTree(ExperimentConfig.defaults());
        Map<String, Class<?>> leaves = new java.util.LinkedHashMap<>();
        collectLeaves(defaults, "", leaves);
        for (java.lang.reflect.RecordComponent rc : Augmentation.class.getRecordComponents()) {
            leaves.put("data.augmentation." + kebab(rc.getName()), rc.getType());
            leaves.put("data.final-augmentation." + kebab(rc.getName()), rc.getType());   // unset (null) by default
        }
        for (java.lang.reflect.RecordComponent rc : SyntheticSpec.class.getRecordComponents())
            leaves.put("data.synthetic." + kebab(rc.getName()), rc.getType());
        assertTrue(leaves.size() > 40, "the config has dozens of keys: " + leaves.keySet());
        for (Map.Entry<String, Class<?>> leaf : leaves.entrySet()) {
            Class<?> t = leaf.getValue();
            String expected;
            List<JsonNode> wrong = new ArrayList<>();
            if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
                expected = "expected an integer";
                wrong.addAll(List.of(F.textNode("abc"), F.numberNode(2.5), F.arrayNode().add(1).add(2)));
            } else if (t == double.class || t == Double.class) {
                expected = "expected a number";
                wrong.addAll(List.of(F.textNode("abc"), F.arrayNode().add(1)));
            } else if (t == boolean.class || t == Boolean.class) {
                expected = "expected true or false";
                wrong.addAll(List.of(F.textNode("maybe"), F.numberNode(3)));
            } else {
                expected = "expected a string";
                wrong.addAll(List.of(F.arrayNode().add("a"), F.objectNode().put("a", 1)));
            }
            for (JsonNode w : wrong) {
                ObjectNode tree = tiny();
                set(tree, leaf.getKey(), w);
                String yaml = yaml(tree);
                List<String> fragments = new ArrayList<>(List.of(leaf.getKey(), expected, "found"));
                if (!leaf.getKey().startsWith("data.augmentation.") && !leaf.getKey().startsWith("data.final-augmentation.")
                        && !leaf.getKey().startsWith("data.synthetic."))
                    // bound from the text, so the line is known: the key's, or the next for a block list / mapping
                    fragments.add("(line " + (lineOf(yaml, leaf.getKey()) + (w.isContainerNode() ? 1 : 0)) + ",");
                out.add(new Case("wrong type: " + leaf.getKey() + " = " + w, yaml, List.of(), fragments));
            }
        }
        return out;
    }

    private static void collectLeaves(JsonNode node, String prefix, Map<String, Class<?>> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (key.equals("data.final-augmentation")) continue;   // a section (Augmentation) that is null by default
            if (v.isObject()) {
                if (!key.equals("data.augmentation") && !key.equals("data.synthetic")) collectLeaves(v, key, out);
            } else {
                out.put(key, v.isIntegralNumber() ? long.class : v.isNumber() ? double.class
                        : v.isBoolean() ? boolean.class : String.class);
            }
        }
    }

    // ---- zero, negative, non-finite and inconsistent sizes ----

    static List<Case> badSizes() {
        List<Case> out = new ArrayList<>();
        for (String k : List.of("image-size", "channels", "patch-size", "dim", "depth", "heads", "mlp-dim", "num-classes"))
            for (int v : new int[]{0, -1})
                out.add(value("model." + k, F.numberNode(v), "model." + k + ": " + v + " is not a positive integer"));
        out.add(value("train.epochs", F.numberNode(0), "train.epochs: 0 is not a positive integer"));
        out.add(value("train.epochs", F.numberNode(-3), "train.epochs: -3 is not a positive integer"));
        out.add(value("train.checkpoint-every", F.numberNode(0), "train.checkpoint-every: 0 is not a positive integer"));
        out.add(value("train.max-batches-per-epoch", F.numberNode(-1), "train.max-batches-per-epoch: -1 must be >= 0"));
        out.add(value("train.eval-images", F.numberNode(-1), "train.eval-images: -1 must be >= 0"));
        out.add(value("train.lr", F.numberNode(0.0), "train.lr: 0.0 must be > 0"));
        out.add(value("train.lr", F.numberNode(-0.1), "train.lr: -0.1 must be > 0"));
        out.add(value("train.lr", F.numberNode(Double.POSITIVE_INFINITY), "train.lr: Infinity must be a finite number"));
        out.add(value("train.weight-decay", F.numberNode(Double.POSITIVE_INFINITY), "train.weight-decay: Infinity must be a finite number"));
        out.add(value("train.grad-clip", F.numberNode(Double.POSITIVE_INFINITY), "train.grad-clip: Infinity must be a finite number"));
        out.add(value("train.weight-decay", F.numberNode(-0.01), "train.weight-decay: -0.01 must be >= 0"));
        out.add(value("train.adam-epsilon", F.numberNode(0.0), "train.adam-epsilon: 0.0 must be > 0"));
        out.add(value("train.min-lr", F.numberNode(1.0), "train.min-lr: 1.0 must be in [0, train.lr = 0.003]"));
        out.add(value("train.warmup-epochs", F.numberNode(5.0), "train.warmup-epochs: 5.0 must be in [0, train.epochs = 3]"));
        out.add(value("train.label-smoothing", F.numberNode(1.0), "train.label-smoothing: 1.0 must be in [0, 1)"));
        out.add(value("train.beta2", F.numberNode(1.0), "train.beta2: 1.0 must be in [0, 1)"));
        out.add(value("model.dropout", F.numberNode(1.0), "model.dropout: 1.0 is outside [0, 1)"));
        out.add(value("model.drop-path", F.numberNode(-0.5), "model.drop-path: -0.5 is outside [0, 1)"));
        out.add(value("model.dropout", F.numberNode(Double.POSITIVE_INFINITY), "model.dropout: Infinity is outside [0, 1)"));
        out.add(value("data.batch-size", F.numberNode(0), "data.batch-size: 0 must be >= 1"));
        out.add(value("data.batch-size", F.numberNode(-32), "data.batch-size: -32 must be >= 1"));
        out.add(value("data.validation-fraction", F.numberNode(1.0), "data.validation-fraction: 1.0 is outside [0, 1)"));
        out.add(value("data.synthetic.train-size", F.numberNode(0), "data.synthetic.train-size: 0 must be >= 1"));
        out.add(value("data.synthetic.test-size", F.numberNode(-1), "data.synthetic.test-size: -1 must be >= 0"));
        out.add(value("data.augmentation.crop-padding", F.numberNode(-1), "data.augmentation.crop-padding: -1 must be >= 0"));
        out.add(value("data.augmentation.mixup-alpha", F.numberNode(Double.POSITIVE_INFINITY),
                "data.augmentation.mixup-alpha: Infinity must be a finite value >= 0"));
        // dimensions that contradict each other
        out.add(value("model.dim", F.numberNode(31), "model.dim: 31 is not divisible by model.heads 2"));
        out.add(value("model.heads", F.numberNode(3), "model.dim: 32 is not divisible by model.heads 3"));
        out.add(value("model.patch-size", F.numberNode(5), "model.patch-size: 5 does not divide model.image-size 16"));
        out.add(value("model.image-size", F.numberNode(18), "model.patch-size: 4 does not divide model.image-size 18"));
        out.add(value("model.num-classes", F.numberNode(5), "model.num-classes: 5", "has 4 classes"));
        return out;
    }

    // ---- unknown keys and enum values, missing sections ----

    static List<Case> structural() {
        List<Case> out = new ArrayList<>();
        for (String key : List.of("bogus", "model.dimm", "data.bogus", "train.epoch"))
            out.add(value(key, F.numberNode(3), "unknown key '" + key + "'", "known keys here: "));
        out.add(value("model.dimm", F.numberNode(3), "dim, drop-path, dropout, heads, image-size"));   // the known keys are listed
        out.add(value("data.augmentation.rotate", F.numberNode(3), "data.augmentation.rotate: unknown key", "crop-padding"));
        out.add(value("data.final-augmentation.rotate", F.numberNode(3), "data.final-augmentation.rotate: unknown key", "crop-padding"));
        out.add(value("data.final-augmentation", F.arrayNode().add("a"), "data.final-augmentation", "expected a mapping of keys"));
        out.add(value("data.synthetic.bogus", F.numberNode(3), "data.synthetic.bogus: unknown key", "train-size"));
        out.add(value("model.pos-embedding", F.textNode("fourier"), "model.pos-embedding", "'fourier'", "learned, learned-2d, sincos2d, none"));
        out.add(value("model.pooling", F.textNode("max"), "model.pooling", "'max'", "cls, mean"));
        out.add(value("model.value-projection", F.textNode("random"), "model.value-projection", "'random'", "learned", "identity"));
        out.add(value("data.dataset", F.textNode("imagenet"), "data.dataset", "'imagenet'",
                "cifar10, cifar100, image-folder, fashion-mnist, mnist, synthetic-shapes, cache"));
        for (String section : List.of("model", "data", "train")) {
            ObjectNode t = tiny();
            t.remove(section);
            out.add(new Case("missing section " + section, yaml(t), List.of(), List.of("section '" + section + ":' is missing")));
            out.add(value(section, F.nullNode(), section + ": missing section"));
            out.add(value(section, F.numberNode(5), "key '" + section + "'", "expected a mapping of keys (a section), found the number 5"));
        }
        out.add(new Case("empty file", "", List.of(), List.of("the config is empty", "model:, data:, train:")));
        out.add(new Case("comments only", "# nothing here\n", List.of(), List.of("the config is empty")));
        out.add(new Case("top level is a list", "- model\n- data\n", List.of(), List.of("expected a mapping of sections", "found a list")));
        return out;
    }

    // ---- YAML syntax errors, with the line and column a person would point at ----

    static List<Case> syntax() {
        String y = Vit.TINY_YAML;   // line 6 is "  dim: 32", line 8 "  heads: 2"
        assertEquals("  dim: 32", y.lines().toList().get(5));
        assertEquals("  heads: 2", y.lines().toList().get(7));
        return List.of(
                new Case("tab indentation", y.replace("  dim: 32", "\tdim: 32"), List.of(),
                        List.of("YAML syntax error (line 6, column 1)", "TAB")),
                new Case("dedented key", y.replace("  heads: 2", " heads: 2"), List.of(),
                        List.of("YAML syntax error (line 8, column 2)")),
                new Case("unclosed flow sequence", y.replace("  dim: 32", "  dim: [32"), List.of(),
                        List.of("YAML syntax error (line 7, column 8)", "flow sequence that starts at line 6, column 8")),
                new Case("unclosed quote", y.replace("name: tiny", "name: \"tiny"), List.of(),
                        List.of("YAML syntax error", "quoted scalar that starts at line 1, column 7")),
                new Case("mapping value in a scalar", y.replace("name: tiny", "name: tiny: x"), List.of(),
                        List.of("YAML syntax error (line 1, column 11)", "mapping values are not allowed here")),
                new Case("reserved character", y.replace("name: tiny", "name: @tiny"), List.of(),
                        List.of("YAML syntax error (line 1, column 7)", "'@'")),
                new Case("duplicate key", y.replace("  heads: 2\n", "  heads: 2\n  dim: 64\n"), List.of(),
                        List.of("duplicate key 'model.dim' (line 9,")),
                new Case("YAML infinity", y.replace("lr: 0.003", "lr: .inf"), List.of(),
                        List.of("key 'train.lr'", "'.inf'")),
                new Case("int out of range", y.replace("dim: 32", "dim: 99999999999"), List.of(),
                        List.of("key 'model.dim' (line 6,", "out of range of int")));
    }

    // ---- --set overrides ----

    static List<Case> overrides() {
        String y = Vit.TINY_YAML;
        return List.of(
                new Case("--set without =", y, List.of("--set", "train.epochs"), List.of("--set train.epochs", "expected key=value")),
                new Case("--set bad YAML value", y, List.of("--set", "model.dim=[1"), List.of("--set model.dim=[1", "not valid YAML")),
                new Case("--set into a scalar", y, List.of("--set", "model.dim.x=3"), List.of("--set model.dim.x=3", "'dim' is not a section")),
                new Case("--set wrong type", y, List.of("--set", "train.epochs=three"), List.of("train.epochs", "expected an integer", "\"three\"")),
                new Case("--set unknown key", y, List.of("--set", "train.epoch=3"), List.of("unknown key 'train.epoch'")),
                new Case("--set null", y, List.of("--set", "model.dim=~"), List.of("model.dim", "expected an integer", "null")));
    }

    // ---- helpers ----

    @Test
    void everyWrongTypeCaseIsGenerated() {
        // 2 top-level + 14 model + 5 data + 13 train keys at least, plus the augmentation and synthetic records
        List<Case> c = wrongTypes();
        assertTrue(c.stream().anyMatch(x -> x.name().startsWith("wrong type: data.synthetic.train-size")), "synthetic keys covered");
        assertTrue(c.stream().anyMatch(x -> x.name().startsWith("wrong type: data.augmentation.horizontal-flip")), "augmentation keys covered");
        assertTrue(c.stream().anyMatch(x -> x.name().startsWith("wrong type: train.grad-clip")), "train keys covered");
        assertTrue(c.size() > 100, "cases: " + c.size());
    }

    static ObjectNode tiny() {
        try {
            return (ObjectNode) ConfigLoader.YAML.readTree(Vit.TINY_YAML);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Case value(String key, JsonNode v, String... fragments) {
        ObjectNode t = tiny();
        set(t, key, v);
        return new Case(key + " = " + v, yaml(t), List.of(), List.of(fragments));
    }

    static void set(ObjectNode root, String dotted, JsonNode v) {
        String[] parts = dotted.split("\\.");
        ObjectNode n = root;
        for (int i = 0; i < parts.length - 1; i++) n = n.has(parts[i]) ? (ObjectNode) n.get(parts[i]) : n.putObject(parts[i]);
        n.set(parts[parts.length - 1], v);
    }

    static String yaml(JsonNode tree) {
        try {
            return ConfigLoader.YAML.writeValueAsString(tree);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** 1-based line of the key {@code a.b} in block YAML written by {@link #yaml}. */
    static int lineOf(String yaml, String dotted) {
        String[] parts = dotted.split("\\.");
        List<String> lines = yaml.lines().toList();
        int from = 0;
        for (int p = 0; p < parts.length; p++) {
            String want = "  ".repeat(p) + parts[p] + ":";
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).startsWith(want)) {
                    from = i;
                    break;
                }
                if (i == lines.size() - 1) throw new AssertionError(dotted + " not in\n" + yaml);
            }
        }
        return from + 1;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
