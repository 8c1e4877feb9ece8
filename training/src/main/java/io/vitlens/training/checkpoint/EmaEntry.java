package io.vitlens.training.checkpoint;

import io.vitlens.core.checkpoint.CheckpointException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The exponential moving average of the weights ({@code train.ema-decay > 0}) as a checkpoint stores it: the
 * zip entry {@value #ENTRY} beside {@code model.dl4j}, which keeps the raw weights, so readers that know
 * nothing of it are unchanged. Layout, little-endian: magic "VLEMA1\0\0", updates (int64), decay (float64),
 * count (int32), then count float32 values in the model's flat parameter order ({@code graph.params()}).
 * The exact float bits are stored, so a resumed run continues the same average.
 *
 * @param updates optimiser steps folded into the average (its warm-up position)
 * @param decay   the configured decay it was computed with
 * @param values  the averaged parameters
 */
public record EmaEntry(long updates, double decay, float[] values) {
    public static final String ENTRY = "ema-params.bin";
    private static final byte[] MAGIC = {'V', 'L', 'E', 'M', 'A', '1', 0, 0};
    private static final int HEADER = MAGIC.length + 8 + 8 + 4;

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putLong(updates).putDouble(decay).putInt(values.length);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Gives {@code graph} the averaged weights (its architecture must be the one the average was taken of). */
    public void loadInto(org.deeplearning4j.nn.graph.ComputationGraph graph) {
        if (graph.numParams() != values.length)
            throw new IllegalArgumentException(ENTRY + ": " + values.length + " averaged values, but the model has "
                    + graph.numParams() + " parameters");
        graph.params().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values.clone()).reshape(graph.params().shape()));
    }

    static EmaEntry decode(Path file, byte[] bytes) throws CheckpointException {
        String where = file + ": " + ENTRY + ": ";
        if (bytes.length < HEADER) throw new CheckpointException(where + "only " + bytes.length + " bytes, shorter than its header");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC))
            throw new CheckpointException(where + "not a vit-lens weight average (unknown header)");
        long updates = b.getLong();
        double decay = b.getDouble();
        int count = b.getInt();
        if (updates < 0 || count < 0 || (long) count * 4 != b.remaining())
            throw new CheckpointException(where + "damaged: " + count + " values declared, " + b.remaining() + " bytes present");
        float[] values = new float[count];
        b.asFloatBuffer().get(values);
        return new EmaEntry(updates, decay, values);
    }
}
