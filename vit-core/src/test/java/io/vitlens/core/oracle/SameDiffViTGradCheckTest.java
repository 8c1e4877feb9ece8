package io.vitlens.core.oracle;

import io.vitlens.core.ViTConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SameDiff's own numerical gradient check of the oracle graph, per variant, in double precision:
 * the oracle's gradients are those of its own forward pass. (That the forward pass is the spec is
 * {@link SameDiffViTForwardTest}'s job.)
 */
class SameDiffViTGradCheckTest {

    /**
     * Entries checked per variable (a random subset, GradCheckUtil's fixed seed). All ~2,000 entries
     * pass too but take ~27 s per variant here; every entry is already compared with finite
     * differences of the independent implementation in {@link SameDiffViTForwardTest}.
     */
    private static final int PER_VARIABLE = 3;

    private static DataType previousFloat;
    private static DataType previousDefault;

    @BeforeAll
    static void doublePrecision() {
        // GradCheckUtil insists on DOUBLE as the global default; restored afterwards for the other tests
        previousDefault = Nd4j.dataType();
        previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloat);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.vitlens.core.oracle.OracleFixtures#variants")
    void gradientsPassSameDiffGradCheck(String name, ViTConfig cfg) {
        Map<String, INDArray> weights = OracleWeights.random(cfg, 61);
        OracleGraph.Built g = OracleGraph.build(cfg, weights, OracleFixtures.BATCH);
        INDArray images = OracleFixtures.images(cfg, 62);
        INDArray labels = OracleFixtures.labels(cfg);
        // input gradients too: GradCheckUtil checks placeholders as well as variables
        g.sd().createGradFunction(OracleGraph.IMAGES, OracleGraph.LABELS);
        // GradCheckUtil perturbs the variables' own arrays, placeholders included: same objects in both places
        g.sd().getVariable(OracleGraph.IMAGES).setArray(images);
        g.sd().getVariable(OracleGraph.LABELS).setArray(labels);
        Map<String, INDArray> placeholders = Map.of(OracleGraph.IMAGES, images, OracleGraph.LABELS, labels);

        boolean ok = GradCheckUtil.checkGradients(g.sd(), placeholders, 1e-6, 1e-5, 1e-8, false, false, false, false,
                Set.of(), null, PER_VARIABLE, GradCheckUtil.Subset.RANDOM);
        assertTrue(ok, name + ": GradCheckUtil failed, see the log for the failing entries");
    }
}
