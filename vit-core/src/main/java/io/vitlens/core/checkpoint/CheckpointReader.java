package io.vitlens.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads the model part of a vit-lens checkpoint with nothing but vit-core: a zip of {@code checkpoint.json}
 * (format version, the experiment config, normalisation, class names, training state) and {@code model.dl4j}
 * (DL4J's {@link ModelSerializer} archive). Reads are lenient where a later version may have added something
 * (unknown keys anywhere are ignored; only the stored config's {@code model} section, the normalisation and the
 * class names are read, so the data and training sections may change freely) and strict where a corrupt file
 * would otherwise fail far from the cause: the zip must end with its end record (no truncation), every entry must
 * match its CRC-32, the ND4J arrays inside must be well formed before ND4J allocates them, the normalisation must
 * fit the architecture, and the restored model must be that architecture. Classes that checkpoints name and that
 * have moved are mapped to their current names ({@link LegacyClassNames}). Each failure is a
 * {@link CheckpointException} naming the file, the field or entry, and what was expected.
 *
 * <h2>Format versions</h2>
 * <ul>
 * <li>1: the layout above. Until issue #16 the learning-rate schedule inside {@code model.dl4j} was
 * {@code io.vitlens.training.optim.WarmupCosineSchedule}; since then it is {@code io.vitlens.core.model.
 * WarmupCosineSchedule}. Both read.</li>
 * </ul>
 */
public final class CheckpointReader {
    /** The newest format this version reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;
    public static final String META_ENTRY = "checkpoint.json";
    public static final String MODEL_ENTRY = "model.dl4j";
    /** A zip's end-of-central-directory record: its size without a comment, and its signature. */
    private static final int END_RECORD_BYTES = 22;
    private static final int END_RECORD_SIGNATURE = 0x06054b50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointReader() {}

    /** Only {@code checkpoint.json}, format-checked (cheap: the model is not deserialised). */
    public static JsonNode readMeta(Path file) throws CheckpointException {
        try (ZipFile zip = open(file)) {
            return meta(file, zip);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * {@code checkpoint.json} checked and bound to the architecture and normalisation, without deserialising the
     * model (cheap), so that a caller can plan before loading any graph.
     */
    public static CheckpointHeader readHeader(Path file) throws CheckpointException {
        JsonNode meta = readMeta(file);
        ViTConfig vit = StoredModelSection.read(meta.get("config").get("model"), file + ": ");
        return new CheckpointHeader(file, meta.get("formatVersion").intValue(), epoch(meta), vit,
                normalization(file, meta, vit), meta);
    }

    /** The model part; {@code loadUpdater} also restores the optimiser state (for resuming training). */
    public static ModelCheckpoint read(Path file, boolean loadUpdater) throws CheckpointException {
        try (ZipFile zip = open(file)) {
            JsonNode meta = meta(file, zip);
            ZipEntry e = zip.getEntry(MODEL_ENTRY);
            if (e == null) throw new CheckpointException(file + ": not a vit-lens checkpoint: entry '" + MODEL_ENTRY + "' is missing");
            byte[] bytes = entryBytes(file, zip, e);
            ViTConfig vit = StoredModelSection.read(meta.get("config").get("model"), file + ": ");
            Normalization normalization = normalization(file, meta, vit);
            checkArrays(file, bytes, loadUpdater);
            ComputationGraph graph;
            try {
                graph = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(LegacyClassNames.update(bytes)), loadUpdater);
            } catch (Exception | OutOfMemoryError ex) {
                // OutOfMemoryError: should a corrupt model.dl4j still ask for an absurd allocation past the checks
                // above, that allocation fails before anything is used; it says nothing about the memory left
                throw new CheckpointException(file + ": the model inside the checkpoint cannot be restored: " + ex, ex);
            }
            checkArchitecture(file, vit, graph);
            return new ModelCheckpoint(file, meta.get("formatVersion").intValue(), epoch(meta), vit, normalization, graph, meta);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    /** The stored epoch; 0 when absent. */
    private static int epoch(JsonNode meta) {
        JsonNode epoch = meta.get("epoch");
        return epoch != null && epoch.canConvertToInt() ? epoch.intValue() : 0;
    }

    private static ZipFile open(Path file) throws CheckpointException {
        if (!Files.exists(file)) throw new CheckpointException(file + ": no such checkpoint file");
        try {
            checkEndRecord(file);
            return new ZipFile(file.toFile());
        } catch (CheckpointException e) {
            throw e;
        } catch (ZipException e) {
            throw new CheckpointException(file + ": not a vit-lens checkpoint (not a zip archive, or truncated: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /**
     * A zip's end record closes the file (checkpoints carry no zip comment). Without this check a truncated
     * checkpoint could open as the zip <em>stored inside it</em> (model.dl4j is itself a zip, and its end record
     * then lies near the cut), failing later with a confusing message.
     */
    private static void checkEndRecord(Path file) throws IOException {
        long size = Files.size(file);
        if (size < END_RECORD_BYTES)
            throw new CheckpointException(file + ": not a vit-lens checkpoint (not a zip archive: " + size + " bytes is too short)");
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b, size - END_RECORD_BYTES + b.position()) > 0) { /* read 4 bytes */ }
        }
        if (b.hasRemaining() || b.getInt(0) != END_RECORD_SIGNATURE)
            throw new CheckpointException(file + ": not a vit-lens checkpoint (not a zip archive, or truncated: no zip end "
                    + "record at the end of its " + size + " bytes)");
    }

    /** checkpoint.json as a tree: a JSON object of a format this version reads, with a stored config. */
    private static JsonNode meta(Path file, ZipFile zip) throws IOException {
        ZipEntry e = zip.getEntry(META_ENTRY);
        if (e == null) throw new CheckpointException(file + ": not a vit-lens checkpoint: entry '" + META_ENTRY + "' is missing");
        JsonNode meta;
        try {
            meta = JSON.readTree(entryBytes(file, zip, e));
        } catch (com.fasterxml.jackson.core.JacksonException ex) {
            throw new CheckpointException(file + ": " + META_ENTRY + " is not valid checkpoint metadata: "
                    + ex.getOriginalMessage(), ex);
        }
        if (meta == null || !meta.isObject())
            throw new CheckpointException(file + ": " + META_ENTRY + " is not valid checkpoint metadata: expected a JSON object, found "
                    + (meta == null ? "nothing" : meta.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        JsonNode v = meta.get("formatVersion");
        if (v != null && !v.isNull() && !v.canConvertToInt())
            throw new CheckpointException(file + ": " + META_ENTRY + ": 'formatVersion' is " + v + ", expected an integer");
        int version = v == null || v.isNull() ? 0 : v.intValue();
        if (version > FORMAT_VERSION)
            throw new CheckpointException(file + ": checkpoint format " + version
                    + " is newer than this vit-lens reads (up to " + FORMAT_VERSION + "); upgrade vit-lens");
        if (version < 1)
            throw new CheckpointException(file + ": checkpoint format " + version + " is not a valid version");
        JsonNode config = meta.get("config");
        if (config == null || config.isNull())
            throw new CheckpointException(file + ": " + META_ENTRY + " has no 'config'");
        if (!config.isObject())
            throw new CheckpointException(file + ": " + META_ENTRY + ": 'config' is " + config.getNodeType().toString()
                    .toLowerCase(java.util.Locale.ROOT) + ", expected the experiment config as a JSON object");
        return meta;
    }

    /** mean, std and class names, checked against the architecture. */
    private static Normalization normalization(Path file, JsonNode meta, ViTConfig vit) throws CheckpointException {
        String where = file + ": " + META_ENTRY + ": ";
        float[] mean = floats(meta, "mean", where), std = floats(meta, "std", where);
        if (mean == null || std == null || mean.length != vit.channels() || std.length != vit.channels())
            throw new CheckpointException(where + "'mean' and 'std' must hold one value per channel (" + vit.channels()
                    + "), found " + (mean == null ? "none" : mean.length) + " and " + (std == null ? "none" : std.length));
        List<String> names = strings(meta, "classNames", where);
        if (names == null || names.size() != vit.numClasses())
            throw new CheckpointException(where + "'classNames' must list " + vit.numClasses() + " classes (model.num-classes), found "
                    + (names == null ? "none" : names.size()));
        if (names.contains(null)) throw new CheckpointException(where + "'classNames' contains null");
        for (int c = 0; c < vit.channels(); c++)
            if (!Float.isFinite(mean[c]) || !Float.isFinite(std[c]))
                throw new CheckpointException(where + "'mean'/'std' of channel " + c + " is " + mean[c] + "/"
                        + std[c] + ", expected finite numbers");
        try {
            return new Normalization(mean, std, names);
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException(where + ex.getMessage(), ex);
        }
    }

    /** A list of numbers, or null when absent. */
    private static float[] floats(JsonNode meta, String key, String where) throws CheckpointException {
        JsonNode a = meta.get(key);
        if (a == null || a.isNull()) return null;
        if (!a.isArray()) throw new CheckpointException(where + "'" + key + "' is " + a + ", expected a list of numbers");
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            JsonNode x = a.get(i);
            if (!x.isNumber()) throw new CheckpointException(where + "'" + key + "'[" + i + "] is " + x + ", expected a number");
            f[i] = x.floatValue();
        }
        return f;
    }

    /** A list of strings (null elements kept, to be named), or null when absent. */
    private static List<String> strings(JsonNode meta, String key, String where) throws CheckpointException {
        JsonNode a = meta.get(key);
        if (a == null || a.isNull()) return null;
        if (!a.isArray()) throw new CheckpointException(where + "'" + key + "' is " + a + ", expected a list of strings");
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            if (x.isNull()) out.add(null);
            else if (x.isTextual()) out.add(x.textValue());
            else throw new CheckpointException(where + "'" + key + "'[" + i + "] is " + x + ", expected a string");
        }
        return out;
    }

    /**
     * The parameter and updater arrays inside model.dl4j (itself a zip) must be well formed before ND4J reads
     * them: ND4J allocates whatever length the file states, natively (see {@link NdArrayFormat}).
     */
    private static void checkArrays(Path file, byte[] model, boolean loadUpdater) throws CheckpointException {
        if (model.length < 4 || model[0] != 'P' || model[1] != 'K' || model[2] != 3 || model[3] != 4)
            throw new CheckpointException(file + ": " + MODEL_ENTRY + " is not a valid DL4J model archive (not a zip); "
                    + "the checkpoint is corrupt");
        boolean coefficients = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(model))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                boolean params = e.getName().equals(ModelSerializer.COEFFICIENTS_BIN);
                if (!params && !(loadUpdater && e.getName().equals(ModelSerializer.UPDATER_BIN))) continue;
                coefficients |= params;
                String problem = NdArrayFormat.problem(in.readAllBytes());
                if (problem != null)
                    throw new CheckpointException(file + ": " + MODEL_ENTRY + "/" + e.getName() + " is not a valid ND4J array: "
                            + problem + "; the checkpoint is corrupt");
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": " + MODEL_ENTRY + " is not a valid DL4J model archive: " + e.getMessage(), e);
        }
        if (!coefficients)
            throw new CheckpointException(file + ": " + MODEL_ENTRY + " holds no " + ModelSerializer.COEFFICIENTS_BIN
                    + " (the model's parameters); the checkpoint is corrupt");
    }

    /**
     * The model inside must be the architecture the stored config describes: same layers, same parameter
     * count per layer. Otherwise every later step (export, analysis, resuming) would fail far from the cause.
     */
    private static void checkArchitecture(Path file, ViTConfig vit, ComputationGraph graph) throws CheckpointException {
        ComputationGraphConfiguration expected = ViTGraph.configuration(vit, TrainSettings.inference(0));
        int layers = 0;
        for (Map.Entry<String, GraphVertex> v : expected.getVertices().entrySet()) {
            if (!(v.getValue() instanceof LayerVertex lv)) continue;
            layers++;
            org.deeplearning4j.nn.api.Layer actual = graph.getConfiguration().getVertices().containsKey(v.getKey())
                    ? graph.getLayer(v.getKey()) : null;
            long want = lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf().getLayer());
            if (actual == null || actual.numParams() != want)
                throw new CheckpointException(file + ": the model inside " + (actual == null ? "has no layer '"
                        + v.getKey() + "'" : "has " + actual.numParams() + " parameters in layer '" + v.getKey() + "'")
                        + " but the stored config (" + vit + ") needs " + (actual == null ? "it" : want)
                        + "; the checkpoint mixes two architectures");
        }
        if (graph.getLayers().length != layers)
            throw new CheckpointException(file + ": the model inside has " + graph.getLayers().length
                    + " layers but the stored config (" + vit + ") has " + layers + "; the checkpoint mixes two architectures");
    }

    /** An entry's bytes, checked against the CRC-32 the writer stored (a flipped bit fails here, named). */
    private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry e) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        }
        if (e.getSize() >= 0 && bytes.length != e.getSize())
            throw new CheckpointException(file + ": entry '" + e.getName() + "' has " + bytes.length
                    + " bytes but the zip directory says " + e.getSize() + "; the file is corrupt");
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc())
            throw new CheckpointException(file + ": entry '" + e.getName() + "' fails its CRC-32 check (stored "
                    + Long.toHexString(e.getCrc()) + ", computed " + Long.toHexString(crc.getValue()) + "); the file is corrupt");
        return bytes;
    }
}
