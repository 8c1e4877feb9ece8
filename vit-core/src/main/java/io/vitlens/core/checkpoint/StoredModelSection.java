package io.vitlens.core.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vitlens.core.InvalidFieldException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vitlens.core.Pooling;
import io.vitlens.core.PosEmbedding;
import io.vitlens.core.ValueProjection;
import io.vitlens.core.ViTConfig;

import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code model:} section of the config stored in a checkpoint, read leniently into a {@link ViTConfig}: keys
 * this version does not know are ignored (a later version may add some), keys it knows must have values of the
 * right type, and the keys that came later than format 1 take the value that meant "absent" then. The rules of
 * the experiment YAML (unknown keys are errors) are for configs a user writes, not for files a program wrote:
 * a checkpoint must stay readable when those rules get stricter.
 */
final class StoredModelSection {
    /** The stored config's spelling of ViTConfig's components, as the experiment YAML binds them. */
    private static final PropertyNamingStrategies.NamingBase KEBAB = new PropertyNamingStrategies.KebabCaseStrategy();

    private StoredModelSection() {}

    /**
     * @param model the stored {@code config.model} tree (kebab-case keys)
     * @param where the file and entry, for messages
     * @throws CheckpointException naming the key, its value and what was expected
     */
    static ViTConfig read(JsonNode model, String where) throws CheckpointException {
        if (model == null || !model.isObject())
            throw new CheckpointException(where + "the stored config has no 'model' section (found "
                    + (model == null ? "none" : model.getNodeType().toString().toLowerCase(Locale.ROOT)) + ")");
        int imageSize = integer(model, "image-size", where);
        int channels = integer(model, "channels", where);
        int patchSize = integer(model, "patch-size", where);
        int dim = integer(model, "dim", where);
        int depth = integer(model, "depth", where);
        int heads = integer(model, "heads", where);
        int mlpDim = integer(model, "mlp-dim", where);
        int numClasses = integer(model, "num-classes", where);
        double dropout = number(model, "dropout", 0.0, where);
        double dropPath = number(model, "drop-path", 0.0, where);
        PosEmbedding pe = choice(model, "pos-embedding", "learned", PosEmbedding::parse, where);
        Pooling pooling = choice(model, "pooling", "cls", Pooling::parse, where);
        ValueProjection vp = choice(model, "value-projection", "learned", ValueProjection::parse, where);
        boolean tieQk = bool(model, "tie-qk", false, where);
        try {
            return new ViTConfig(imageSize, channels, patchSize, dim, depth, heads, mlpDim, numClasses, dropout, dropPath,
                    pe, pooling, vp, tieQk);
        } catch (InvalidFieldException e) {
            throw new CheckpointException(where + "stored config is invalid: " + e.message(c -> "model." + KEBAB.translate(c)), e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + "stored config is invalid: " + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode m, String key, String where) throws CheckpointException {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) throw new CheckpointException(where + "config.model." + key + ": missing; expected an integer");
        if (!v.isIntegralNumber() || !v.canConvertToInt())
            throw new CheckpointException(where + "config.model." + key + ": expected an integer, found " + v);
        return v.intValue();
    }

    private static double number(JsonNode m, String key, double absent, String where) throws CheckpointException {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isNumber()) throw new CheckpointException(where + "config.model." + key + ": expected a number, found " + v);
        return v.doubleValue();
    }

    private static boolean bool(JsonNode m, String key, boolean absent, String where) throws CheckpointException {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isBoolean()) throw new CheckpointException(where + "config.model." + key + ": expected true or false, found " + v);
        return v.booleanValue();
    }

    private static <T> T choice(JsonNode m, String key, String absent, Function<String, T> parse, String where)
            throws CheckpointException {
        JsonNode v = m.get(key);
        if (v != null && !v.isNull() && !v.isTextual())
            throw new CheckpointException(where + "config.model." + key + ": expected a string, found " + v);
        try {
            return parse.apply(v == null || v.isNull() ? absent : v.textValue());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + "stored config is invalid: model." + key + ": " + e.getMessage(), e);
        }
    }
}
