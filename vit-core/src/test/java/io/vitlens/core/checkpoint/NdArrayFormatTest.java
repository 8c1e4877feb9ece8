package io.vitlens.core.checkpoint;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NdArrayFormatTest {
    /**
     * Nd4j.write of a 2x3 float array: shape header (UTF "MIXED_DATA_TYPES" 18 + length 8 + UTF "LONG" 6 = 32 bytes),
     * 8 shape-info longs (rank 2: 2 * 2 + 4), data header (18 + 8 + UTF "FLOAT" 7 = 33 bytes), 6 floats.
     */
    static byte[] valid() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Nd4j.write(Nd4j.create(new float[]{1, 2, 3, 4, 5, 6}, new long[]{2, 3}, 'c'), new DataOutputStream(b));
        return b.toByteArray();
    }

    /** Byte offset of the data header's length: the shape header and 8 longs, then the allocation mode's 18 bytes. */
    static final int DATA_LENGTH_AT = 32 + 8 * 8 + 18;

    @Test
    void whatNd4jWritesIsWellFormed() throws IOException {
        byte[] b = valid();
        assertEquals(32 + 64 + 33 + 24, b.length, "header sizes as documented above");
        assertNull(NdArrayFormat.problem(b));
    }

    @Test
    void aDataLengthThatDisagreesWithTheShapeIsNamed() throws IOException {
        byte[] b = valid();
        ByteBuffer.wrap(b, DATA_LENGTH_AT, 8).putLong(1L << 40);
        assertEquals("the shape holds 6 values but the data header says 1099511627776", NdArrayFormat.problem(b));
    }

    @Test
    void missingBytesAreNamed() throws IOException {
        byte[] b = valid();
        assertEquals("6 values of FLOAT need 24 bytes, 20 follow", NdArrayFormat.problem(Arrays.copyOf(b, b.length - 4)));
        assertEquals("ends early (40 bytes)", NdArrayFormat.problem(Arrays.copyOf(b, 40)));
    }

    @Test
    void aRankThatDisagreesWithTheShapeInfoIsNamed() throws IOException {
        byte[] b = valid();
        ByteBuffer.wrap(b, 32, 8).putLong(3);   // rank 3 would need 10 shape-info values, not 8
        assertEquals("rank 3 does not match the 8 shape-info values", NdArrayFormat.problem(b));
    }

    @Test
    void unknownNamesAreNamed() throws IOException {
        byte[] b = valid();
        b[2] = 'X';   // "MIXED_DATA_TYPES" -> "XIXED_DATA_TYPES"
        assertEquals("shape header: unknown allocation mode 'XIXED_DATA_TYPES'", NdArrayFormat.problem(b));
    }
}
