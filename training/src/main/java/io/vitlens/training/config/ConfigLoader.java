package io.vitlens.training.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vitlens.core.InvalidFieldException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads experiment YAML (kebab-case keys), applies {@code --set key=value} overrides, and validates.
 * Unknown keys, wrong types and syntax errors become {@link ConfigException}s naming file, key, line and column.
 */
public final class ConfigLoader {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))   // "lr: 1\nlr: 2" is an error, not "last wins"
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)       // "epochs: 2.5" must not become 2
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // the data module's records name their Jackson creator's parameters; spell those kebab-case too
            .enable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_EXPLICIT_PROPERTY_RENAMING)
            // the config's own sections take their defaults from here (Augmentation and SyntheticSpec have creators that do)
            .registerModule(new RecordDefaults(java.util.Map.of(
                    ModelSection.class, ModelSection.DEFAULTS,
                    DataSection.class, DataSection.DEFAULTS,
                    TrainSection.class, TrainSection.DEFAULTS)));

    /** Sections every experiment config must have; their keys may be left to the defaults, the section may not. */
    static final List<String> REQUIRED_SECTIONS = List.of("model", "data", "train");

    private ConfigLoader() {}

    /** Loads {@code file}, applies overrides such as {@code train.epochs=3}, validates. */
    public static ExperimentConfig load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such config file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text; expected a YAML experiment config such as configs/quickstart.yaml", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), overrides);
    }

    /** Parses YAML text; {@code source} names it in messages. */
    public static ExperimentConfig parse(String yaml, String source, List<String> overrides) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull())
            throw new ConfigException(source + ": the config is empty; expected a YAML mapping with the sections "
                    + String.join(":, ", REQUIRED_SECTIONS) + ": (see configs/quickstart.yaml)");
        if (!tree.isObject())
            throw new ConfigException(source + ": expected a mapping of sections (" + String.join(", ", REQUIRED_SECTIONS)
                    + ") at the top level, found " + describe(tree));
        if (overrides == null || overrides.isEmpty()) {
            // bind from the text itself so that errors carry line and column
            return bind(() -> YAML.readValue(yaml, ExperimentConfig.class), tree, source, yaml);
        }
        for (String o : overrides) applyOverride((ObjectNode) tree, o);
        JsonNode finalTree = tree;
        return bind(() -> YAML.treeToValue(finalTree, ExperimentConfig.class), finalTree, source, null);
    }

    /** Binds an already-parsed tree (e.g. the copy stored in a checkpoint). */
    public static ExperimentConfig bind(JsonNode tree, String source) {
        if (tree == null || !tree.isObject())
            throw new ConfigException(source + ": expected a mapping of sections, found " + describe(tree));
        JsonNode stored = withStoredSpellings(tree);
        return bind(() -> YAML.treeToValue(stored, ExperimentConfig.class), stored, source, null);
    }

    /**
     * Checkpoints written before the config records kept {@code data.augmentation} and {@code data.synthetic} as the
     * user wrote them, and the binder of that time also took {@code crop_padding} and {@code cropPadding} there; so
     * that those checkpoints still bind, a stored tree gets such keys in their kebab-case spelling.
     */
    static JsonNode withStoredSpellings(JsonNode tree) {
        JsonNode data = tree.get("data");
        if (data == null || !data.isObject()) return tree;
        ObjectNode copy = tree.deepCopy();
        for (String block : List.of("augmentation", "synthetic")) {
            if (!(copy.get("data").get(block) instanceof ObjectNode b)) continue;
            ObjectNode respelt = b.objectNode();
            b.fields().forEachRemaining(f -> respelt.set(YamlKeys.of("", f.getKey().replace('_', '-')), f.getValue()));
            ((ObjectNode) copy.get("data")).set(block, respelt);
        }
        return copy;
    }

    private interface Binder {
        ExperimentConfig bind() throws IOException;
    }

    /** @param yaml the text {@code tree} was read from, or null when it was not (overrides, stored configs) */
    private static ExperimentConfig bind(Binder binder, JsonNode tree, String source, String yaml) {
        ConfigShape.check(tree, source, yaml);
        ExperimentConfig cfg;
        try {
            cfg = binder.bind();
        } catch (UnrecognizedPropertyException e) {   // ConfigShape knows every section; this is a backstop
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw ConfigShape.refusal(source, path(e), known, ConfigShape.location(yaml, path(e)), e);
        } catch (MismatchedInputException e) {   // wrong type, including InvalidFormatException
            JsonNode found = at(tree, e);
            throw new ConfigException(source + ": key '" + path(e) + "'" + where(e.getLocation()) + ": expected "
                    + expected(e.getTargetType()) + (found == null ? "" : ", found " + describe(found)), e);
        } catch (ValueInstantiationException e) {   // a section's constructor refused its values
            throw new ConfigException(source + ": " + refusal(e), e);
        } catch (JsonProcessingException e) {   // e.g. a number out of the range of an int
            String key = atKey(e).replace(" at key", " key");
            throw new ConfigException(source + ":" + key + where(e.getLocation()) + (key.isEmpty() ? " " : ": ")
                    + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
        if (cfg == null) throw new ConfigException(source + ": the config is empty");
        for (String s : REQUIRED_SECTIONS) {
            if (!tree.has(s))
                throw new ConfigException(source + ": section '" + s + ":' is missing; an experiment config needs the sections "
                        + String.join(":, ", REQUIRED_SECTIONS) + ": (see configs/quickstart.yaml)");
        }
        return cfg;
    }

    /**
     * What a record's constructor said. The config's own sections speak YAML keys already; the data module's records
     * ({@code data.augmentation}, {@code data.synthetic}) name their components, spelt here as YAML keys under the path
     * Jackson was binding.
     */
    private static String refusal(ValueInstantiationException e) {
        Throwable c = e.getCause();
        if (c instanceof ConfigException) return c.getMessage();
        String at = path(e);
        if (c instanceof InvalidFieldException f) return f.message(component -> YamlKeys.of(at, component));
        return "key '" + at + "': " + (c == null ? firstLine(e.getOriginalMessage()) : c.getMessage());
    }

    /**
     * SnakeYAML knows where the problem is (its "problem mark"); Jackson's own location is merely where its
     * parser stopped, often the line before. Use the former, with the problem and its context in words.
     */
    private static ConfigException syntaxError(String source, JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            String context = m.getContext() == null ? "" : " (" + m.getContext() + (m.getContextMark() == null ? ""
                    : " that starts at line " + (m.getContextMark().getLine() + 1) + ", column " + (m.getContextMark().getColumn() + 1)) + ")";
            return new ConfigException(source + ": YAML syntax error (line " + (m.getProblemMark().getLine() + 1) + ", column "
                    + (m.getProblemMark().getColumn() + 1) + "): " + m.getProblem() + context, e);
        }
        String msg = firstLine(e.getOriginalMessage());
        if (msg.startsWith("Duplicate field"))
            return new ConfigException(source + ": duplicate key" + atKey(e).replace(" at key", "") + where(e.getLocation())
                    + "; each key may appear only once in its section", e);
        return new ConfigException(source + ": YAML syntax error" + atKey(e) + where(e.getLocation()) + ": " + msg, e);
    }

    /** What a Java field type means in YAML terms, for "expected ..." messages. */
    static String expected(Class<?> type) {
        if (type == null) return "a different kind of value";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) return "an integer";
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "a list";
        return "a mapping of keys (a section)";
    }

    /** A YAML value as the user wrote it, briefly: {@code the string "abc"}, {@code a list [1, 2]}. */
    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return "nothing (null)";
        if (n.isTextual()) return "the string \"" + abbreviate(n.textValue()) + "\"";
        if (n.isBoolean()) return "the boolean " + n.booleanValue();
        if (n.isNumber()) return "the number " + n.asText();
        if (n.isArray()) return "a list " + abbreviate(n.toString());
        if (n.isObject()) return "a mapping " + abbreviate(n.toString());
        return abbreviate(n.toString());
    }

    /** The node of {@code tree} at the failing path of {@code e}, or null. */
    private static JsonNode at(JsonNode tree, com.fasterxml.jackson.databind.JsonMappingException e) {
        JsonNode n = tree;
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (n == null) return null;
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
        }
        return n;
    }

    /** " at key 'a.b'" from the parser's position when the exception has one, else "". */
    private static String atKey(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser p) || p.getParsingContext() == null) return "";
        String key = p.getParsingContext().pathAsPointer().toString();
        if (key.isEmpty() || key.equals("/")) return "";
        return " at key '" + key.substring(1).replace('/', '.') + "'";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** {@code a.b.c=value}: value parsed as a YAML scalar/flow node, so numbers, booleans and lists keep their types. */
    static void applyOverride(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new ConfigException("--set " + assignment + ": expected key=value, e.g. train.epochs=3");
        String key = assignment.substring(0, eq).trim();
        String raw = assignment.substring(eq + 1);
        JsonNode value;
        try {
            value = raw.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + assignment + ": value is not valid YAML: " + e.getOriginalMessage());
        }
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) child = node.putObject(parts[i]);
            if (!child.isObject())
                throw new ConfigException("--set " + assignment + ": '" + parts[i] + "' is not a section");
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value == null ? JsonNodeFactory.instance.nullNode() : value);
    }

    /** The config as a tree (kebab-case keys), for run directories and checkpoints. */
    public static JsonNode toTree(ExperimentConfig cfg) {
        return YAML.valueToTree(cfg);
    }

    public static String toYaml(ExperimentConfig cfg) {
        try {
            return YAML.writeValueAsString(cfg);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) return "?";
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() <= 0) return "";
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}
