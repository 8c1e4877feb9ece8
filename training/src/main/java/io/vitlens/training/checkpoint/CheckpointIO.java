package io.vitlens.training.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.training.config.ConfigException;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.model.TrainSettings;
import io.vitlens.core.model.ViTGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads checkpoints: a zip holding {@code checkpoint.json} and {@code model.dl4j} (DL4J's
 * {@link ModelSerializer} archive, updater state included). Writes are atomic
 * ({@link io.vitlens.core.io.AtomicFiles}), so a crash never leaves a half checkpoint.
 * Reads trust nothing: the zip must end with its end record (no truncation), every entry must match the CRC-32
 * stored at writing, the ND4J arrays inside must be well formed before ND4J allocates them, the metadata must
 * fit the stored architecture, and the restored model must be that architecture. Each failure is a
 * {@link CheckpointException} naming the file and the problem.
 */
public final class CheckpointIO {
    static final String META_ENTRY = "checkpoint.json";
    static final String MODEL_ENTRY = "model.dl4j";
    /** A zip's end-of-central-directory record: its size without a comment, and its signature. */
    private static final int END_RECORD_BYTES = 22;
    private static final int END_RECORD_SIGNATURE = 0x06054b50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointIO() {}

    public static void write(Path file, CheckpointMeta meta, ComputationGraph graph) throws IOException {
        ByteArrayOutputStream model = new ByteArrayOutputStream(1 << 20);
        ModelSerializer.writeModel(graph, model, true);
        byte[] metaBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta);
        io.vitlens.core.io.AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putStored(zip, META_ENTRY, metaBytes);
                putStored(zip, MODEL_ENTRY, model.toByteArray());
            }
        });
    }

    /** Reads only the metadata (cheap: the model is not deserialised). */
    public static CheckpointMeta readMeta(Path file) throws CheckpointException {
        try (ZipFile zip = open(file)) {
            return meta(file, zip);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    public static Checkpoint read(Path file, boolean loadUpdater) throws CheckpointException {
        try (ZipFile zip = open(file)) {
            CheckpointMeta meta = meta(file, zip);
            ZipEntry e = zip.getEntry(MODEL_ENTRY);
            if (e == null) throw new CheckpointException(file + ": not a vit-lens checkpoint: entry '" + MODEL_ENTRY + "' is missing");
            byte[] bytes = entryBytes(file, zip, e);
            Checkpoint unloaded = new Checkpoint(file, meta, null);
            ViTConfig vit;
            try {
                vit = unloaded.vit();
            } catch (ConfigException ex) {
                throw new CheckpointException(file + ": stored config is invalid: " + ex.getMessage(), ex);
            }
            checkMeta(file, meta, vit, unloaded);
            checkArrays(file, bytes, loadUpdater);
            ComputationGraph graph;
            try {
                graph = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), loadUpdater);
            } catch (Exception | OutOfMemoryError ex) {
                // OutOfMemoryError: should a corrupt model.dl4j still ask for an absurd allocation past the checks
                // above, that allocation fails before anything is used; it says nothing about the memory left
                throw new CheckpointException(file + ": the model inside the checkpoint cannot be restored: " + ex, ex);
            }
            checkArchitecture(file, vit, graph);
            return new Checkpoint(file, meta, graph);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
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
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b, size - END_RECORD_BYTES + b.position()) > 0) { /* read 4 bytes */ }
        }
        if (b.hasRemaining() || b.getInt(0) != END_RECORD_SIGNATURE)
            throw new CheckpointException(file + ": not a vit-lens checkpoint (not a zip archive, or truncated: no zip end "
                    + "record at the end of its " + size + " bytes)");
    }

    private static CheckpointMeta meta(Path file, ZipFile zip) throws IOException {
        ZipEntry e = zip.getEntry(META_ENTRY);
        if (e == null) throw new CheckpointException(file + ": not a vit-lens checkpoint: entry '" + META_ENTRY + "' is missing");
        CheckpointMeta meta;
        try {
            meta = JSON.readValue(entryBytes(file, zip, e), CheckpointMeta.class);
        } catch (com.fasterxml.jackson.core.JacksonException ex) {
            throw new CheckpointException(file + ": " + META_ENTRY + " is not valid checkpoint metadata: "
                    + ex.getOriginalMessage(), ex);
        }
        if (meta.formatVersion() > CheckpointMeta.FORMAT_VERSION)
            throw new CheckpointException(file + ": checkpoint format " + meta.formatVersion()
                    + " is newer than this vit-lens reads (up to " + CheckpointMeta.FORMAT_VERSION + "); upgrade vit-lens");
        if (meta.formatVersion() < 1)
            throw new CheckpointException(file + ": checkpoint format " + meta.formatVersion() + " is not a valid version");
        if (meta.config() == null)
            throw new CheckpointException(file + ": " + META_ENTRY + " has no 'config'");
        return meta;
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

    /** The metadata fields that later steps rely on, checked against the stored architecture. */
    private static void checkMeta(Path file, CheckpointMeta meta, ViTConfig vit, Checkpoint unloaded) throws CheckpointException {
        String where = file + ": " + META_ENTRY + ": ";
        if (meta.epoch() < 0 || meta.step() < 0)
            throw new CheckpointException(where + "epoch " + meta.epoch() + " / step " + meta.step() + " must be >= 0");
        if (meta.mean() == null || meta.std() == null || meta.mean().length != vit.channels() || meta.std().length != vit.channels())
            throw new CheckpointException(where + "'mean' and 'std' must hold one value per channel (" + vit.channels()
                    + "), found " + (meta.mean() == null ? "none" : meta.mean().length) + " and "
                    + (meta.std() == null ? "none" : meta.std().length));
        if (meta.classNames() == null || meta.classNames().size() != vit.numClasses())
            throw new CheckpointException(where + "'classNames' must list " + vit.numClasses() + " classes (model.num-classes), found "
                    + (meta.classNames() == null ? "none" : meta.classNames().size()));
        if (meta.classNames().contains(null)) throw new CheckpointException(where + "'classNames' contains null");
        for (int c = 0; c < vit.channels(); c++)
            if (!Float.isFinite(meta.mean()[c]) || !Float.isFinite(meta.std()[c]))
                throw new CheckpointException(where + "'mean'/'std' of channel " + c + " is " + meta.mean()[c] + "/"
                        + meta.std()[c] + ", expected finite numbers");
        try {
            unloaded.normalization();
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException(where + ex.getMessage(), ex);
        }
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

    private static void putStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
