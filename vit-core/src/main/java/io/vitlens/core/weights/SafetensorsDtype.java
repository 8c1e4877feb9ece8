package io.vitlens.core.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types the reader accepts, all converted to float32 on load. F32 is read exactly;
 * F16 and BF16 widen exactly (every half and bfloat16 value is a float); F64 is rounded to the
 * nearest float. They are accepted because checkpoints from the PyTorch ecosystem are often
 * stored in half precision. The writer only writes F32.
 */
enum SafetensorsDtype {
    F32(4), F16(2), BF16(2), F64(8);

    private final int bytes;

    SafetensorsDtype(int bytes) { this.bytes = bytes; }

    /** Bytes per element. */
    int bytes() { return bytes; }

    /** The dtype named {@code s} in a header, or null if it is not one of the accepted ones. */
    static SafetensorsDtype parse(String s) {
        for (SafetensorsDtype d : values()) if (d.name().equals(s)) return d;
        return null;
    }

    static String known() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /**
     * Decodes {@code count} elements from the little-endian buffer {@code src} (from its position)
     * into {@code dst[offset ..]}.
     */
    void decode(ByteBuffer src, float[] dst, int offset, int count) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, offset, count);
            case F64 -> {
                for (int i = 0; i < count; i++) dst[offset + i] = (float) src.getDouble(src.position() + 8 * i);
            }
            case BF16 -> {
                // bfloat16 is the upper half of a float32
                for (int i = 0; i < count; i++)
                    dst[offset + i] = Float.intBitsToFloat((src.getShort(src.position() + 2 * i) & 0xffff) << 16);
            }
            case F16 -> {
                for (int i = 0; i < count; i++) dst[offset + i] = halfToFloat(src.getShort(src.position() + 2 * i));
            }
        }
    }

    /** IEEE 754 binary16 to binary32, exact (JDK 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h >>> 15) << 31;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in float
            float v = Math.scalb((float) mant, -24);
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));   // inf / NaN
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
