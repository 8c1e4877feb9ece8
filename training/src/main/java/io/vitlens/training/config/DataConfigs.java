package io.vitlens.training.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vitlens.data.Augmentation;
import io.vitlens.data.DataConfig;
import io.vitlens.data.LoadedDataset;
import io.vitlens.data.SyntheticSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Binds the YAML {@code data:} section onto the data module's {@link DataConfig}. */
public final class DataConfigs {
    private static final ObjectMapper CAMEL = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)       // "crop-padding: 2.5" is an error
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);  // and "horizontal-flip: 3"

    private DataConfigs() {}

    public static DataConfig toDataConfig(ExperimentConfig cfg) {
        DataSection d = cfg.data;
        Augmentation aug = bind("data.augmentation", d.augmentation, Augmentation.none(), Augmentation.class);
        SyntheticSpec syn = bind("data.synthetic", d.synthetic, SyntheticSpec.defaults(), SyntheticSpec.class);
        try {
            return new DataConfig(d.dataset, d.dataDir == null || d.dataDir.isBlank() ? null : Path.of(d.dataDir),
                    cfg.model.imageSize, d.batchSize, d.validationFraction, cfg.seed, aug, syn, d.skipBadFiles);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(kebabKeys(e.getMessage()), e);
        }
    }

    /** The dataset must match the model's input: channels and class count. */
    public static void checkCompatible(ExperimentConfig cfg, LoadedDataset data) {
        if (data.channels() != cfg.model.channels)
            throw new ConfigException("model.channels: " + cfg.model.channels + " but dataset " + data.name()
                    + " has " + data.channels() + " channel(s)");
        if (data.numClasses() != cfg.model.numClasses)
            throw new ConfigException("model.num-classes: " + cfg.model.numClasses + " but dataset " + data.name()
                    + " has " + data.numClasses() + " classes");
    }

    /** Overlays the user's kebab-case keys on the defaults' tree and binds it (unknown keys fail). */
    private static <T> T bind(String section, Map<String, Object> user, T defaults, Class<T> type) {
        Map<String, Object> tree = CAMEL.convertValue(defaults, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
        if (user != null) {
            for (Map.Entry<String, Object> e : user.entrySet()) {
                String camel = camel(e.getKey());
                if (!tree.containsKey(camel))
                    throw new ConfigException(section + "." + e.getKey() + ": unknown key; known keys: "
                            + tree.keySet().stream().map(DataConfigs::kebab).sorted().collect(Collectors.joining(", ")));
                tree.put(camel, e.getValue());
            }
        }
        try {
            return CAMEL.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(bindingProblem(section, user, type, e), e);
        }
    }

    /** "data.augmentation.crop-padding: expected an integer, found ..." from a failed conversion. */
    private static String bindingProblem(String section, Map<String, Object> user, Class<?> type, IllegalArgumentException e) {
        Throwable c = e.getCause();
        if (c instanceof UnrecognizedPropertyException u) return section + "." + kebab(u.getPropertyName()) + ": unknown key";
        if (c instanceof MismatchedInputException m && !m.getPath().isEmpty() && m.getPath().get(0).getFieldName() != null) {
            String field = m.getPath().get(0).getFieldName();
            Object value = null;
            if (user != null)
                for (Map.Entry<String, Object> u : user.entrySet()) if (camel(u.getKey()).equals(field)) value = u.getValue();
            Class<?> expected = null;
            for (java.lang.reflect.RecordComponent rc : type.getRecordComponents())
                if (rc.getName().equals(field)) expected = rc.getType();
            return section + "." + kebab(field) + ": expected " + ConfigLoader.expected(expected) + ", found "
                    + ConfigLoader.describe(CAMEL.valueToTree(value));
        }
        // the record's own validation (its constructor's IllegalArgumentException names the field)
        Throwable inner = c != null && c.getCause() != null && c.getCause().getMessage() != null ? c.getCause() : c != null ? c : e;
        String msg = kebabKeys(firstLine(inner.getMessage()));
        if (msg.startsWith("data.")) return msg;
        if (msg.startsWith("augmentation.") || msg.startsWith("synthetic.")) return "data." + msg;
        return section + ": " + msg;
    }

    static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : kebab.toCharArray()) {
            if (ch == '-' || ch == '_') up = true;
            else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** "data.batchSize: ..." -> "data.batch-size: ..." */
    static String kebabKeys(String msg) {
        if (msg == null) return "";
        // whole dotted paths, so that "data.synthetic.trainSize" becomes "data.synthetic.train-size"
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(?:data|synthetic|augmentation)(?:\\.[A-Za-z][A-Za-z0-9]*)+").matcher(msg);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, kebab(m.group()));
        m.appendTail(b);
        return b.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
