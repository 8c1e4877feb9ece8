package io.vitlens.training.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.vitlens.data.Augmentation;
import io.vitlens.data.SyntheticSpec;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the keys of a config tree before anything is bound: a key the config does not have, and a top-level key
 * set to nothing. Jackson reports a record's unknown keys only after its constructor has run, and the constructor
 * validates: a misspelt {@code warmup_epochs: 0} would be reported as the default warm-up not fitting
 * {@code epochs: 1}, not as the misspelling it is. And Jackson passes null both for a key left out (which takes its
 * default) and for {@code model: ~} (which is refused), so the two are told apart here.
 */
final class ConfigShape {
    /** Each mapping of the config by its dotted path, with the type whose YAML keys it may hold. */
    private static final Map<String, Class<?>> SECTIONS = Map.of(
            "", ExperimentConfig.class,
            "model", ModelSection.class,
            "data", DataSection.class,
            "train", TrainSection.class,
            "data.augmentation", Augmentation.class,
            "data.final-augmentation", Augmentation.class,
            "data.synthetic", SyntheticSpec.class);

    private ConfigShape() {}

    /** @param yaml the text {@code tree} was read from, for line and column; null when there is none */
    static void check(JsonNode tree, String source, String yaml) {
        check(tree, "", source, yaml);
        for (String section : ConfigLoader.REQUIRED_SECTIONS)
            if (tree.has(section) && tree.get(section).isNull())
                throw new ConfigException(source + ": " + section + ": missing section");
        if (tree.has("name") && tree.get("name").isNull())
            throw new ConfigException(source + ": name: must be a non-empty string");
        if (tree.has("seed") && tree.get("seed").isNull())
            throw new ConfigException(source + ": key 'seed'" + ConfigLoader.where(location(yaml, "seed"))
                    + ": expected an integer, found nothing (null)");
    }

    private static void check(JsonNode node, String path, String source, String yaml) {
        Set<String> known = keys(SECTIONS.get(path));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String at = path.isEmpty() ? key : path + "." + key;
            if (!known.contains(key)) throw refusal(source, at, String.join(", ", known), location(yaml, at), null);
            JsonNode child = node.get(key);
            if (SECTIONS.containsKey(at) && child.isObject()) check(child, at, source, yaml);   // else binding names the type
        }
    }

    /** The YAML keys of a config type, sorted. */
    static Set<String> keys(Class<?> type) {
        Set<String> keys = new TreeSet<>();
        if (type.isRecord())
            Arrays.stream(type.getRecordComponents()).forEach(c -> keys.add(YamlKeys.of("", c.getName())));
        else
            keys.addAll(List.of(type.getAnnotation(JsonPropertyOrder.class).value()));
        return keys;
    }

    static ConfigException refusal(String source, String key, String known, JsonLocation where, Throwable cause) {
        return new ConfigException(source + ": " + key + ": unknown key '" + key + "'" + ConfigLoader.where(where)
                + "; known keys here: " + known, cause);
    }

    /** Where the dotted key is written in {@code yaml}: the position of its name; null without the text. */
    static JsonLocation location(String yaml, String dotted) {
        if (yaml == null) return null;
        List<String> want = List.of(dotted.split("\\."));
        try (JsonParser p = ConfigLoader.YAML.getFactory().createParser(yaml)) {
            ArrayDeque<String> path = new ArrayDeque<>();
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) continue;
                path.clear();
                for (JsonStreamContext c = p.getParsingContext(); c != null && c.inObject(); c = c.getParent())
                    path.addFirst(c.getCurrentName());
                if (List.copyOf(path).equals(want)) return p.currentTokenLocation();
            }
        } catch (IOException e) {
            return null;   // the text was read once already; without a place the message still names the key
        }
        return null;
    }
}
