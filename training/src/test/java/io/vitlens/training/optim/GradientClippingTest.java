package io.vitlens.training.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientClippingTest {
    @Test
    void aGradientAboveTheLimitIsScaledToJustUnderItWithItsDirectionKept() {
        INDArray g = Nd4j.createFromArray(3f, 4f);   // norm 5
        new GradientClipping(1.0).apply(g, 5.0);
        float s = (float) (1.0 / (5.0 + 1e-6));
        assertArrayEquals(new float[]{3f * s, 4f * s}, g.toFloatVector(), 0f);
        assertTrue(g.norm2Number().doubleValue() < 1.0);
        assertEquals(1.0 / (5.0 + 1e-6), new GradientClipping(1.0).scale(5.0), 0.0);
    }

    @Test
    void aGradientWithinTheLimitAndClippingOffLeaveTheGradientAlone() {
        INDArray g = Nd4j.createFromArray(0.3f, 0.4f);
        new GradientClipping(1.0).apply(g, 0.5);
        GradientClipping.OFF.apply(g, 1e30);
        assertArrayEquals(new float[]{0.3f, 0.4f}, g.toFloatVector(), 0f);
        assertFalse(new GradientClipping(1.0).clips(1.0), "at the limit exactly: not clipped");
        assertFalse(GradientClipping.OFF.clips(Double.MAX_VALUE));
        assertEquals(1.0, GradientClipping.OFF.scale(7.0), 0.0);
        assertEquals(DataType.FLOAT, g.dataType());
    }

    @Test
    void aLimitThatIsNoNumberIsRefusedNamingTheKey() {
        for (double bad : new double[]{-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradientClipping(bad));
            assertTrue(e.getMessage().startsWith("train.grad-clip: " + bad), e.getMessage());
        }
    }
}
