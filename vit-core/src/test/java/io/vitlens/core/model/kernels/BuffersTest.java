package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuffersTest {

    @Test
    void floatBufferOfAnOffsetViewStartsAtTheViewAndWritesThrough() {
        INDArray flat = Nd4j.arange(100).castTo(DataType.FLOAT);
        INDArray view = flat.get(NDArrayIndex.interval(10, 30)).reshape('c', 4, 5); // elements 10..29
        FloatBuffer b = Buffers.floats(view);
        assertEquals(20, b.capacity());
        assertEquals(10f, b.get(0));
        assertEquals(29f, b.get(19));
        b.put(7, -1f);
        assertEquals(-1f, flat.getFloat(17));
        assertEquals(-1f, view.getFloat(1, 2));
    }

    @Test
    void doubleBufferOfAnOffsetView() {
        INDArray flat = Nd4j.arange(50).castTo(DataType.DOUBLE);
        DoubleBuffer b = Buffers.doubles(flat.get(NDArrayIndex.interval(5, 15)));
        assertEquals(10, b.capacity());
        assertEquals(5.0, b.get(0));
        assertEquals(14.0, b.get(9));
    }

    @Test
    void stridedViewsAreNotDense() {
        INDArray m = Nd4j.arange(12).castTo(DataType.FLOAT).reshape('c', 3, 4);
        assertTrue(Buffers.isDense(m));
        assertFalse(Buffers.isDense(m.transpose()));
        assertFalse(Buffers.isDense(m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3))));
        assertTrue(Buffers.isDense(m.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Buffers.floats(m.transpose()));
        assertTrue(e.getMessage().contains("[4, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Buffers.doubles(m));
    }

    @Test
    void denseCopiesOnlyWhenNeeded() {
        INDArray m = Nd4j.arange(6).castTo(DataType.FLOAT).reshape('c', 2, 3);
        assertTrue(Buffers.dense(m) == m);
        INDArray t = Buffers.dense(m.transpose());
        assertTrue(Buffers.isDense(t));
        assertEquals(m.getFloat(1, 2), t.getFloat(2, 1));
    }

    @Test
    void doublesRoundTripConvertsTypes() {
        INDArray f = Nd4j.create(DataType.FLOAT, 2, 2);
        Buffers.fromDoubles(new double[]{1.5, -2, 3, 4.25}, f);
        assertArrayEquals(new double[]{1.5, -2, 3, 4.25}, Buffers.toDoubles(f));
        assertArrayEquals(new double[]{1.5, 3, -2, 4.25}, Buffers.toDoubles(f.transpose()));
        assertThrows(IllegalArgumentException.class, () -> Buffers.fromDoubles(new double[3], f));
    }

    @Test
    void arrayCacheReusesItsBufferForSmallerShapes() {
        ArrayCache cache = new ArrayCache();
        INDArray big = cache.get("a", DataType.FLOAT, 4, 6);
        big.assign(3);
        INDArray small = cache.get("a", DataType.FLOAT, 2, 5);
        assertArrayEquals(new long[]{2, 5}, small.shape());
        assertTrue(Buffers.isDense(small));
        assertEquals(3f, small.getFloat(1, 4)); // same memory
        small.putScalar(0, 0, 7f);
        assertEquals(7f, big.getFloat(0, 0));
        INDArray other = cache.get("a", DataType.DOUBLE, 2, 5);
        assertEquals(DataType.DOUBLE, other.dataType());
    }

    @Test
    void copyMovesARunOfElementsBetweenOffsetsAndViews() {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray src = Nd4j.arange(20).castTo(t);
            INDArray flat = Nd4j.zeros(t, 30);
            INDArray dst = flat.get(NDArrayIndex.interval(10, 30)); // a view starting at element 10
            Buffers.copy(src, 3, dst, 5, 4);                          // src 3..6 -> flat 15..18
            assertEquals(0.0, flat.getDouble(14), t.toString());
            for (int i = 0; i < 4; i++) assertEquals(3.0 + i, flat.getDouble(15 + i), t.toString());
            assertEquals(0.0, flat.getDouble(19), t.toString());
            assertThrows(IllegalArgumentException.class, () -> Buffers.copy(src, 18, dst, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> Buffers.copy(src, 0, dst, 18, 4));
        }
        assertThrows(IllegalArgumentException.class,
                () -> Buffers.copy(Nd4j.zeros(DataType.FLOAT, 4), 0, Nd4j.zeros(DataType.DOUBLE, 4), 0, 4));
    }
}
