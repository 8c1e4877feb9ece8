package io.vitlens.core.model.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatchLayoutTest {

    @Test
    void pixelsLandInTimmPatchOrderAndTheInverseRestoresTheImage() {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            int b = 2, ch = 3, s = 6, p = 3, g = 2, len = ch * p * p;
            INDArray x = Nd4j.arange(b * ch * s * s).castTo(t).reshape('c', b, ch, s, s);
            INDArray cols = Nd4j.create(t, b * g * g, len);
            PatchLayout layout = new PatchLayout(ch, s, p);
            layout.toPatches(x, cols, b);
            // image 1, channel 2, pixel (y 4, x 1): patch (1, 0) = row 2 of image 1, column 2*9 + 1*3 + 1
            assertEquals(x.getDouble(1, 2, 4, 1), cols.getDouble(4 + 2, 2 * 9 + 3 + 1), t.toString());
            // image 0, channel 0, pixel (0, 5): patch (0, 1), column 0*9 + 0*3 + 2
            assertEquals(x.getDouble(0, 0, 0, 5), cols.getDouble(1, 2), t.toString());
            INDArray back = Nd4j.create(t, b, ch, s, s);
            layout.toImages(cols, back, b);
            assertEquals(x, back, t.toString());
        }
    }

    @Test
    void wrongSizesAreRefused() {
        PatchLayout layout = new PatchLayout(1, 4, 2);
        assertThrows(IllegalArgumentException.class,
                () -> layout.toPatches(Nd4j.create(DataType.FLOAT, 2, 1, 4, 4), Nd4j.create(DataType.FLOAT, 4, 4), 2));
    }
}
