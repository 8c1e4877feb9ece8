package io.vitlens.analysis;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.vitlens.analysis.FakeRun.CFG;
import static io.vitlens.analysis.FakeRun.G;
import static io.vitlens.analysis.FakeRun.N;
import static io.vitlens.analysis.FakeRun.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzerTest {

    @TempDir
    static Path dir;
    static AnalysisResult result;
    static final List<String> stages = new ArrayList<>();
    static AnalysisInput trainedInput;

    @BeforeAll
    static void analyseTheFakeRun() throws Exception {
        INDArray images = FakeInspector.images(CFG, 10, 4);
        trainedInput = FakeRun.trained(CFG);
        result = new Analyzer(AnalysisOptions.defaults().withBatchSize(3))
                .analyze(List.of(trainedInput, FakeRun.initial(CFG)), images, FakeRun.metrics(dir),
                        (stage, done, total) -> { if (done == total) stages.add(stage); });
    }

    @Test
    void checkpointsAreSortedByEpochAndImagesStreamedInBatches() {
        assertEquals(List.of("epoch-000", "epoch-005"),
                result.checkpoints().stream().map(CheckpointAnalysis::checkpoint).toList());
        assertEquals(10, result.images());
        assertEquals(4, ((FakeInspector) trainedInput.model()).traceCalls); // 10 images in batches of 3
        assertTrue(stages.contains("attention epoch-005"), stages.toString());
        assertEquals(CFG.depth() * CFG.heads(), result.last().heads().size());
    }

    @Test
    void rightNeighbourHeadIsHorizontalAtOnePatch() {
        HeadStats h = head(0, 0);
        assertEquals(CFG.patchSize(), h.meanAttentionDistancePx(), 1e-6);
        assertEquals(1.0, h.rowMass(), 1e-6);
        assertEquals(0.0, h.columnMass(), 1e-6);
        assertEquals("horizontal", h.type());
        assertEquals(1.0, h.positionalShare(), 1e-9);
        assertEquals(1.0, h.attentionAtOffset().get("0,1"), 1e-6);
        assertEquals("vertical", head(0, 1).type());
    }

    @Test
    void uniformHeadIsGlobalWithTheGridsMeanDistance() {
        HeadStats h = head(1, 0);
        double sum = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) sum += Math.hypot(i / G - j / G, i % G - j % G) * CFG.patchSize();
        assertEquals(sum / (N * N), h.meanAttentionDistancePx(), 1e-5);
        assertEquals(sum / (N * N), result.uniformAttentionMeanDistancePx(), 1e-9);
        assertEquals(Math.log(T), h.entropy(), 1e-5);
        assertEquals("global", h.type());
    }

    @Test
    void tiedQueryAndKeyWeightsGiveZeroAnglesAndSymmetricAlignment() {
        for (int h = 0; h < CFG.heads(); h++) {
            HeadStats s = head(0, h);
            assertEquals(CFG.headDim(), s.qkPrincipalAnglesDeg().length);
            for (double a : s.qkPrincipalAnglesDeg()) assertEquals(0.0, a, 1e-3);
            // q_i = k_i, so cos(q_i, k_j) is symmetric and the offset table is point-symmetric
            for (int dr = -(G - 1); dr < G; dr++)
                for (int dc = -(G - 1); dc < G; dc++)
                    assertEquals(s.qkCosineAtOffset().get(dr + "," + dc), s.qkCosineAtOffset().get(-dr + "," + -dc), 1e-5);
            assertEquals(1.0, s.qkCosineAtOffset().get("0,0"), 1e-5); // q_i = k_i
        }
        assertTrue(head(1, 0).qkPrincipalAngleMeanDeg() > 10);
    }

    @Test
    void claimVerdictsFollowTheConstruction() {
        AnalysisResult r = result;
        assertEquals(List.of("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12"),
                r.claims().stream().map(ClaimVerdict::id).toList());
        ClaimVerdict c1 = r.claim("C1").orElseThrow();
        assertEquals(true, c1.holds());
        // cos falls strictly with distance, but float32 storage breaks the ties among equal-distance pairs at
        // random, which on a 4x4 grid (few, large tie groups) costs about 0.01 of rho
        assertTrue(c1.value() < -0.97, "rho " + c1.value());
        assertEquals(0.001, (Double) c1.details().get("pValue"), 0);
        assertTrue(Math.abs(c1.baseline()) < 0.3, "baseline rho " + c1.baseline());
        assertEquals(true, r.claim("C3").orElseThrow().holds());
        assertEquals(ClaimVerdict.NOT_MEASURED, r.claim("C4").orElseThrow().holds());
        assertEquals(true, r.claim("C6").orElseThrow().holds());
        assertEquals(true, r.claim("C7").orElseThrow().holds());
        assertTrue(r.claim("C8").orElseThrow().reason().contains("head-count"));
        assertTrue(r.claim("C11").orElseThrow().reason().contains("qkv-ablation"));
        ClaimVerdict c10 = r.claim("C10").orElseThrow();
        assertEquals(true, c10.holds());
        assertTrue(c10.value() < 1e-5);
        ClaimVerdict c12 = r.claim("C12").orElseThrow();
        assertEquals(false, c12.holds());
        assertTrue(c12.reason().contains("blocks.1.attn.k"), c12.reason());
        assertEquals(List.of("blocks.1.attn.k"), r.gradientFlow().vanishing());
        for (ClaimVerdict c : r.claims()) assertNotNull(c.reason(), c.id());
    }

    @Test
    void noTrainedCheckpointMeansTrainingClaimsAreNotMeasured() throws Exception {
        AnalysisResult r = new Analyzer(AnalysisOptions.defaults().withPermutations(99, 1))
                .analyze(List.of(FakeRun.initial(CFG)), FakeInspector.images(CFG, 2, 1), null, null);
        ReportWriter.write(r, dir.resolve("single"));
        String html = java.nio.file.Files.readString(dir.resolve("single/index.html"));
        assertTrue(html.contains("Not measured: no metrics.jsonl"), "gradient section explains the gap");
        assertEquals(ClaimVerdict.NOT_MEASURED, r.claim("C1").orElseThrow().holds());
        assertEquals(ClaimVerdict.NOT_MEASURED, r.claim("C12").orElseThrow().holds());
        assertFalse(r.claim("C10").orElseThrow().holds() instanceof String); // mechanics are measured on any checkpoint
        assertNotNull(r.gradientFlowReason());
    }

    @Test
    void aModelWithoutPositionEmbeddingIsAnalysedWithoutC1ToC3() throws Exception {
        io.vitlens.core.ViTConfig none = CFG.withPosEmbedding(io.vitlens.core.PosEmbedding.NONE);
        double[][][][][] w = FakeInspector.randomWeights(none, 1, false);
        double[][] zeros = new double[N][CFG.dim()];
        AnalysisInput[] in = new AnalysisInput[2];
        for (int e = 0; e < 2; e++)
            in[e] = new AnalysisInput("epoch-00" + e, e, new FakeInspector(none, null,
                    (img, l, h) -> Maps.neighbourhood(G), FakeRun.inputs(zeros, CFG.dim()), w[0], w[1],
                    FakeInspector.zeroBias(none), FakeInspector.zeroBias(none)));
        AnalysisResult r = new Analyzer(null).analyze(List.of(in), FakeInspector.images(none, 2, 1), null, null);
        assertEquals(null, r.last().positionEmbedding());
        for (String id : List.of("C1", "C2", "C3")) {
            ClaimVerdict c = r.claim(id).orElseThrow();
            assertEquals(ClaimVerdict.NOT_MEASURED, c.holds(), id);
            assertTrue(c.reason().contains("no position embedding"), c.reason());
        }
        assertEquals("local", r.last().heads().get(0).type());
        ReportWriter.write(r, dir.resolve("none"));
        assertTrue(java.nio.file.Files.readString(dir.resolve("none/index.html")).contains("no position embedding"));
    }

    @Test
    void duplicateCheckpointNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Analyzer(null).analyze(
                List.of(FakeRun.initial(CFG), FakeRun.initial(CFG)), FakeInspector.images(CFG, 1, 1), null, null));
        assertTrue(e.getMessage().contains("epoch-000"), e.getMessage());
    }

    @Test
    void imagesOfTheWrongSizeAreRejected() {
        INDArray wrong = FakeInspector.images(io.vitlens.core.ViTConfig.of(32, 3, 4, 16, 2, 2, 32, 10), 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Analyzer(null).analyze(List.of(FakeRun.initial(CFG)), wrong, null, null));
        assertTrue(e.getMessage().contains("[n >= 1, 3, 16, 16]"), e.getMessage());
    }

    private static HeadStats head(int layer, int head) {
        return result.last().heads().stream().filter(h -> h.layer() == layer && h.head() == head).findFirst().orElseThrow();
    }
}
