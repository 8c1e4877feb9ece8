package io.vitlens.training.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vitlens.training.config.ConfigException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads checkpoints: a zip holding {@code checkpoint.json} and {@code model.dl4j} (DL4J's
 * {@link ModelSerializer} archive, updater state included). Writes go to a temporary file in the same
 * directory, are forced to disk and renamed over the target, so a crash never leaves a half checkpoint.
 */
public final class CheckpointIO {
    static final String META_ENTRY = "checkpoint.json";
    static final String MODEL_ENTRY = "model.dl4j";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointIO() {}

    public static void write(Path file, CheckpointMeta meta, ComputationGraph graph) throws IOException {
        ByteArrayOutputStream model = new ByteArrayOutputStream(1 << 20);
        ModelSerializer.writeModel(graph, model, true);
        byte[] metaBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta);
        AtomicFiles.write(file, out -> {
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
            byte[] bytes;
            try (InputStream in = zip.getInputStream(e)) {
                bytes = in.readAllBytes();
            }
            ComputationGraph graph;
            try {
                graph = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), loadUpdater);
            } catch (Exception ex) {
                throw new CheckpointException(file + ": the model inside the checkpoint cannot be restored: " + ex, ex);
            }
            Checkpoint cp = new Checkpoint(file, meta, graph);
            try {
                cp.vit();
            } catch (ConfigException ex) {
                throw new CheckpointException(file + ": stored config is invalid: " + ex.getMessage(), ex);
            }
            return cp;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    private static ZipFile open(Path file) throws CheckpointException {
        if (!Files.exists(file)) throw new CheckpointException(file + ": no such checkpoint file");
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file + ": not a vit-lens checkpoint (not a zip archive, or truncated: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static CheckpointMeta meta(Path file, ZipFile zip) throws IOException {
        ZipEntry e = zip.getEntry(META_ENTRY);
        if (e == null) throw new CheckpointException(file + ": not a vit-lens checkpoint: entry '" + META_ENTRY + "' is missing");
        CheckpointMeta meta;
        try (InputStream in = zip.getInputStream(e)) {
            meta = JSON.readValue(in, CheckpointMeta.class);
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

    /** Atomic file writes: temp file beside the target, fsync, rename. */
    public static final class AtomicFiles {
        public interface Body {
            void write(OutputStream out) throws IOException;
        }

        private AtomicFiles() {}

        public static void write(Path target, Body body) throws IOException {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                     OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                    body.write(new NonClosing(out));
                    out.flush();
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more
                }
                throw e;
            }
        }

        public static void writeString(Path target, String text) throws IOException {
            write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        /** Lets a body close its stream (e.g. a ZipOutputStream) without closing the channel before fsync. */
        private static final class NonClosing extends java.io.FilterOutputStream {
            NonClosing(OutputStream out) { super(out); }
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void close() throws IOException { out.flush(); }
        }
    }
}
