package io.vitlens.analysis.job;

import io.vitlens.analysis.CheckpointSource;
import io.vitlens.analysis.LoadedCheckpoint;
import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import io.vitlens.core.checkpoint.CheckpointException;
import io.vitlens.core.checkpoint.CheckpointHeader;
import io.vitlens.core.checkpoint.CheckpointReader;
import io.vitlens.core.checkpoint.ModelCheckpoint;
import io.vitlens.core.model.ViTInspector;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A checkpoint file read with vit-core alone: its header now (cheap), its graph when {@link #load()} is called;
 * closing the loaded checkpoint closes the graph, freeing its parameters.
 */
public final class CheckpointFileSource implements CheckpointSource {

    private final String name;
    private final int epoch;
    private final CheckpointHeader header;

    /** @param epoch the epoch to file it under (a run's file name); the header's stored epoch when null */
    public CheckpointFileSource(Path file, String name, Integer epoch) throws CheckpointException {
        this.header = CheckpointReader.readHeader(file);
        this.name = name;
        this.epoch = epoch != null ? epoch : header.epoch();
    }

    /** A lone checkpoint file, named after the file without {@code .zip}. */
    public static CheckpointFileSource of(Path file) throws CheckpointException {
        String n = file.getFileName().toString();
        return new CheckpointFileSource(file, n.endsWith(".zip") ? n.substring(0, n.length() - 4) : n, null);
    }

    public Path file() { return header.file(); }

    /** checkpoint.json as read (the stored experiment config is under {@code config}). */
    public CheckpointHeader header() { return header; }

    @Override public String name() { return name; }

    @Override public int epoch() { return epoch; }

    @Override public ViTConfig config() { return header.vit(); }

    @Override public Normalization normalization() { return header.normalization(); }

    @Override
    public LoadedCheckpoint load() {
        ModelCheckpoint cp;
        try {
            cp = CheckpointReader.read(header.file(), false);
        } catch (CheckpointException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return new LoadedCheckpoint(new ViTInspector(cp.graph(), cp.vit()), cp.graph()::close);
    }
}
