package io.vitlens.training.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

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
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    private ConfigLoader() {}

    /** Loads {@code file}, applies overrides such as {@code train.epochs=3}, validates. */
    public static ExperimentConfig load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such config file");
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
            throw new ConfigException(source + ": YAML syntax error" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) tree = JsonNodeFactory.instance.objectNode();
        if (!tree.isObject()) throw new ConfigException(source + ": expected a mapping at the top level, found " + tree.getNodeType());
        if (overrides == null || overrides.isEmpty()) {
            // bind from the text itself so that errors carry line and column
            return bind(() -> YAML.readValue(yaml, ExperimentConfig.class), source);
        }
        for (String o : overrides) applyOverride((ObjectNode) tree, o);
        JsonNode finalTree = tree;
        return bind(() -> YAML.treeToValue(finalTree, ExperimentConfig.class), source);
    }

    /** Binds an already-parsed tree (e.g. the copy stored in a checkpoint). */
    public static ExperimentConfig bind(JsonNode tree, String source) {
        return bind(() -> YAML.treeToValue(tree, ExperimentConfig.class), source);
    }

    private interface Binder {
        ExperimentConfig bind() throws IOException;
    }

    private static ExperimentConfig bind(Binder binder, String source) {
        ExperimentConfig cfg;
        try {
            cfg = binder.bind();
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown key '" + path(e) + "'" + where(e.getLocation())
                    + "; known keys here: " + known, e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(source + ": key '" + path(e) + "'" + where(e.getLocation()) + ": value '"
                    + e.getValue() + "' is not a valid " + e.getTargetType().getSimpleName(), e);
        } catch (MismatchedInputException e) {
            String type = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
            throw new ConfigException(source + ": key '" + path(e) + "'" + where(e.getLocation()) + ": expected a "
                    + type + "; " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage() + where(e.getLocation()), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
        if (cfg == null) throw new ConfigException(source + ": empty config");
        try {
            return cfg.validate();
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
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

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() <= 0) return "";
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}
