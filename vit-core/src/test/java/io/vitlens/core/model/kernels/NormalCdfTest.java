package io.vitlens.core.model.kernels;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalCdfTest {

    @Test
    void exactMatchesTabulatedValues() {
        // standard normal table values (Abramowitz & Stegun 26.2)
        assertEquals(0.5, NormalCdf.exact(0), 1e-16);
        assertEquals(0.8413447460685429, NormalCdf.exact(1), 1e-15);
        assertEquals(0.15865525393145707, NormalCdf.exact(-1), 1e-15);
        assertEquals(0.9772498680518208, NormalCdf.exact(2), 1e-15);
        assertEquals(0.0013498980316300946, NormalCdf.exact(-3), 1e-17);
        assertEquals(2.866515718791939e-7, NormalCdf.exact(-5), 1e-20); // tail kept to relative precision
        assertEquals(0.3989422804014327, NormalCdf.density(0), 1e-16);
    }

    @Test
    void fastErfcHasRelativeErrorBelow3e9() {
        double worst = 0;
        for (double z = 0; z <= 9; z += 1e-3) {
            double exact = Erf.erfc(z);
            worst = Math.max(worst, Math.abs(NormalCdf.fastErfc(z) - exact) / exact);
        }
        assertTrue(worst < 3e-9, "worst relative error " + worst);
        assertTrue(worst > 1e-12, "an approximation, not the exact function: " + worst);
    }

    @Test
    void fastCdfTracksExactInBothTails() {
        for (double u = -8; u <= 8; u += 0.01) {
            double exact = NormalCdf.exact(u);
            assertEquals(exact, NormalCdf.fast(u), 3e-9 * Math.min(exact, 1 - exact) + 1e-15, "u=" + u);
        }
    }
}
