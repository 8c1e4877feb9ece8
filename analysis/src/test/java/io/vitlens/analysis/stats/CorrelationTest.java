package io.vitlens.analysis.stats;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorrelationTest {

    @Test
    void ranksAverageTiesLikeCommonsMath() {
        double[] x = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
        // hand: sorted 1,1,2,3,3,4,5,5,5,6,9 -> 1s share ranks 1,2 -> 1.5; 3s share 4,5 -> 4.5; 5s share 7,8,9 -> 8
        assertArrayEquals(new double[]{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8}, Ranks.average(x), 0);
        double[] big = new Random(1).doubles(5000).map(v -> Math.floor(v * 50)).toArray();
        assertArrayEquals(new NaturalRanking(TiesStrategy.AVERAGE).rank(big), Ranks.average(big), 0);
    }

    @Test
    void spearmanEqualsCommonsMathWithTies() {
        Random rnd = new Random(7);
        double[] a = new double[3000], b = new double[3000];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.floor(rnd.nextDouble() * 20);           // many ties
            b[i] = a[i] * 0.3 + rnd.nextGaussian();
        }
        assertEquals(new SpearmansCorrelation().correlation(a, b), Correlation.spearman(a, b), 1e-12);
    }

    @Test
    void slopeEqualsSimpleRegression() {
        double[] x = {0, 1, 1, 2, 3, 5}, y = {1, 0.5, 0.7, -0.2, -1, -2.5};
        SimpleRegression reg = new SimpleRegression();
        for (int i = 0; i < x.length; i++) reg.addData(x[i], y[i]);
        assertEquals(reg.getSlope(), Correlation.slope(x, y), 1e-12);
    }

    @Test
    void constantInputGivesNaNAndNaNInputIsRejected() {
        assertTrue(Double.isNaN(Correlation.spearman(new double[]{1, 1, 1}, new double[]{1, 2, 3})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ranks.average(new double[]{1, Double.NaN}));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    }
}
