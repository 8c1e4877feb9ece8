package io.vitlens.core.checkpoint;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Checks an array in ND4J's binary format ({@code Nd4j.write}: the shape-info buffer, then the data buffer, each
 * a header of allocation mode, length and data type followed by the values) before {@code Nd4j.read} sees it.
 * {@code Nd4j.read} trusts the lengths it reads and hands them to native allocation: a corrupted length in
 * {@code coefficients.bin} crashed the JVM (SIGSEGV in libnd4j) instead of failing. Here every length must fit
 * the bytes actually present, and the shape must hold exactly the stored number of values.
 */
final class NdArrayFormat {
    /** ND4J arrays have at most 32 dimensions; shape info holds rank, shape, strides and 3 more values. */
    private static final int MAX_RANK = 32;

    private record Header(DataBuffer.AllocationMode mode, long length, DataType type) {}

    private NdArrayFormat() {}

    /** What is wrong with {@code bytes} as one ND4J array, or null when it is well formed. */
    static String problem(byte[] bytes) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            Header shape = header(in, "shape header");
            if (shape.type() != DataType.LONG && shape.type() != DataType.INT)
                return "shape info of type " + shape.type() + ", expected LONG";
            if (shape.length() < 4 || shape.length() > 2L * MAX_RANK + 4)
                return "shape info of " + shape.length() + " values, expected 4.." + (2 * MAX_RANK + 4);
            long[] info = new long[(int) shape.length()];
            for (int i = 0; i < info.length; i++) info[i] = shape.type() == DataType.LONG ? in.readLong() : in.readInt();
            long rank = info[0];
            if (rank < 0 || 2 * rank + 4 != info.length)
                return "rank " + rank + " does not match the " + info.length + " shape-info values";
            long count = 1;
            for (int d = 1; d <= rank; d++) {
                if (info[d] < 0) return "dimension " + (d - 1) + " is " + info[d];
                count = Math.multiplyExact(count, info[d]);
            }
            Header data = header(in, "data header");
            int width = data.type().width();
            if (width <= 0) return "data of type " + data.type() + " is not a plain numeric array";
            if (data.length() != count)
                return "the shape holds " + count + " values but the data header says " + data.length();
            long needed = Math.multiplyExact(data.length(), (long) width);
            if (needed != in.available())
                return data.length() + " values of " + data.type() + " need " + needed + " bytes, " + in.available() + " follow";
            return null;
        } catch (EOFException e) {
            return "ends early (" + bytes.length + " bytes)";
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** Allocation mode (UTF), length (int for the three legacy modes, else long), data type (UTF). */
    private static Header header(DataInputStream in, String what) throws IOException {
        DataBuffer.AllocationMode mode;
        DataType type;
        String m = in.readUTF();
        try {
            mode = DataBuffer.AllocationMode.valueOf(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": unknown allocation mode '" + m + "'");
        }
        long length = mode.ordinal() < 3 ? in.readInt() : in.readLong();
        if (length < 0) throw new IllegalArgumentException(what + ": negative length " + length);
        String t = in.readUTF();
        try {
            type = DataType.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": unknown data type '" + t + "'");
        }
        return new Header(mode, length, type);
    }
}
