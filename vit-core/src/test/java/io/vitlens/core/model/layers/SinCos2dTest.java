package io.vitlens.core.model.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinCos2dTest {

    @Test
    void handComputedRows() {
        // D 8: q = 2 frequencies, w_0 = 1, w_1 = 10000^(-1/2) = 0.01; grid 3
        INDArray e = SinCos2d.table(3, 8, DataType.DOUBLE);
        assertArrayEquals(new long[]{10, 8}, e.shape());
        assertArrayEquals(new double[8], e.getRow(0).toDoubleVector(), 0.0); // CLS
        int tok = 1 + 1 * 3 + 2; // row 1, column 2
        assertArrayEquals(new double[]{Math.sin(1), Math.sin(0.01), Math.cos(1), Math.cos(0.01),
                Math.sin(2), Math.sin(0.02), Math.cos(2), Math.cos(0.02)}, e.getRow(tok).toDoubleVector(), 1e-15);
        // row 0, column 0: sin 0 = 0, cos 0 = 1
        assertArrayEquals(new double[]{0, 0, 1, 1, 0, 0, 1, 1}, e.getRow(1).toDoubleVector(), 0.0);
        assertEquals(DataType.FLOAT, SinCos2d.table(3, 8, DataType.FLOAT).dataType());
    }

    @Test
    void widthMustSplitIntoFour() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SinCos2d.table(2, 6, DataType.FLOAT));
        assertTrue(ex.getMessage().contains("model.dim: 6"), ex.getMessage());
    }
}
