package io.vitlens.training.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.core.checkpoint.CheckpointException;
import io.vitlens.core.checkpoint.CheckpointReader;
import io.vitlens.core.checkpoint.ModelCheckpoint;
import io.vitlens.core.io.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes checkpoints, and reads them for the training module: a zip holding {@code checkpoint.json} and
 * {@code model.dl4j} (DL4J's {@link ModelSerializer} archive, updater state included), written atomically
 * ({@link AtomicFiles}), so a crash never leaves a half checkpoint. The model part is read by vit-core's
 * {@link CheckpointReader} (leniently, with every corruption check); the training state in
 * {@code checkpoint.json} (step, seed, the whole experiment config) is read here, and the experiment config is
 * bound strictly only where the trainer needs it ({@link Checkpoint#config()}). A run with {@code train.ema-decay > 0}
 * adds a third entry, the weight average ({@link EmaEntry}); checkpoints without it read as before.
 */
public final class CheckpointIO {
    /** Training state is read leniently: fields a later version adds are ignored. */
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointIO() {}

    public static void write(Path file, CheckpointMeta meta, ComputationGraph graph) throws IOException {
        write(file, meta, graph, null);
    }

    /** @param ema the weight average to store beside the model; null = none */
    public static void write(Path file, CheckpointMeta meta, ComputationGraph graph, EmaEntry ema) throws IOException {
        ByteArrayOutputStream model = new ByteArrayOutputStream(1 << 20);
        ModelSerializer.writeModel(graph, model, true);
        byte[] metaBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta);
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putStored(zip, CheckpointReader.META_ENTRY, metaBytes);
                putStored(zip, CheckpointReader.MODEL_ENTRY, model.toByteArray());
                if (ema != null) putStored(zip, EmaEntry.ENTRY, ema.encode());
            }
        });
    }

    /** Reads only the metadata (cheap: the model is not deserialised). */
    public static CheckpointMeta readMeta(Path file) throws CheckpointException {
        return meta(file, CheckpointReader.readMeta(file));
    }

    public static Checkpoint read(Path file, boolean loadUpdater) throws CheckpointException {
        ModelCheckpoint model = CheckpointReader.read(file, loadUpdater);
        CheckpointMeta meta = meta(file, model.meta());
        if (meta.epoch() < 0 || meta.step() < 0)
            throw new CheckpointException(file + ": " + CheckpointReader.META_ENTRY + ": epoch " + meta.epoch() + " / step "
                    + meta.step() + " must be >= 0");
        return new Checkpoint(file, meta, model);
    }

    /** The weight average stored beside the model, or empty for a checkpoint written without one. */
    public static java.util.Optional<EmaEntry> readEma(Path file) throws CheckpointException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(EmaEntry.ENTRY);
            if (e == null) return java.util.Optional.empty();
            try (java.io.InputStream in = zip.getInputStream(e)) {
                return java.util.Optional.of(EmaEntry.decode(file, in.readAllBytes()));
            }
        } catch (CheckpointException ex) {
            throw ex;
        } catch (IOException ex) {
            throw new CheckpointException(file + ": cannot read " + EmaEntry.ENTRY + ": " + ex.getMessage(), ex);
        }
    }

    private static CheckpointMeta meta(Path file, JsonNode tree) throws CheckpointException {
        try {
            return JSON.treeToValue(tree, CheckpointMeta.class);
        } catch (com.fasterxml.jackson.core.JacksonException ex) {
            throw new CheckpointException(file + ": " + CheckpointReader.META_ENTRY + " is not valid checkpoint metadata: "
                    + ex.getOriginalMessage(), ex);
        }
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
