package io.vitlens.core.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarmupCosineScheduleTest {
    // base 1e-3, min 1e-5, 10 warmup steps, 110 steps in all: decay over steps 10..109
    private final WarmupCosineSchedule s = new WarmupCosineSchedule(1e-3, 1e-5, 10, 110);

    @Test
    void warmupIsLinearFromBaseOverWarmup() {
        assertEquals(1e-4, s.valueAt(0, 0), 1e-15);     // (0+1)/10 * 1e-3
        assertEquals(5e-4, s.valueAt(4, 0), 1e-15);
        assertEquals(1e-3, s.valueAt(9, 0), 1e-15);
    }

    @Test
    void cosineHitsBaseMidpointAndMinimum() {
        assertEquals(1e-3, s.valueAt(10, 0), 1e-15);                       // start of decay
        double half = 1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 49.0 / 99.0));
        assertEquals(half, s.valueAt(59, 0), 1e-15);
        assertEquals(1e-5, s.valueAt(109, 0), 1e-15);                      // last step: the minimum
        assertEquals(1e-5, s.valueAt(500, 0), 1e-15);                      // held afterwards
    }

    @Test
    void survivesDl4jJsonSerialisation() throws Exception {
        ObjectMapper m = new ObjectMapper();
        String json = m.writeValueAsString(s);
        ISchedule back = m.readValue(json, ISchedule.class);
        assertEquals(s, back);
        assertEquals(s.valueAt(37, 0), back.valueAt(37, 0), 0);
    }
}
