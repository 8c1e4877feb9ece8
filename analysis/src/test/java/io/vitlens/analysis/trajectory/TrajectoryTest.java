package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.HeadStats;
import io.vitlens.analysis.HeadTypeRules;
import io.vitlens.analysis.ModelSummary;
import io.vitlens.analysis.PositionEmbeddingStats;
import io.vitlens.core.ViTConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trajectory table from fabricated per-checkpoint results whose rows can be checked by hand: 2 layers x 2
 * heads, uniform attention's mean distance 10 px.
 * <pre>
 * epoch-000: layer 0 heads 9 and 11 px (min 9, mean 10, fractions 0.9 and 1), every head global, rho 0.01,
 *            R^2 -0.1 / -0.2, C7 rho undefined (NaN), no accuracy logged
 * epoch-005: layer 0 heads 7 and 3 px (min 3, mean 5, fractions 0.3 and 0.5), types local, mixed, global,
 *            global; rho -0.5, R^2 0.9 / 0.75, C7 rho 0.8, accuracy 0.625 (the later of two logged lines)
 * </pre>
 */
class TrajectoryTest {

    @TempDir
    Path dir;

    private static HeadStats head(int layer, int head, double distance, String type) {
        return new HeadStats(layer, head, distance, 1, 0.1, 0.1, 0.1, 0, 0.5, 0.1, 0, 0, Map.of(), new double[0], 0,
                Map.of(), type);
    }

    private static PositionEmbeddingStats pos(double rho, double rowR2, double colR2) {
        return new PositionEmbeddingStats("learned", rho, 0.001, 999, 1, rowR2, colR2, 2, new double[0], new double[0],
                new double[0], List.of(), new double[0][0], new double[0][0]);
    }

    private static CheckpointAnalysis checkpoint(String name, int epoch, PositionEmbeddingStats p, List<HeadStats> heads,
                                                 double depthRho) {
        return new CheckpointAnalysis(name, epoch, 4, p, null, heads, List.of(), 0, 0, 0, depthRho);
    }

    static AnalysisResult fabricated() {
        ViTConfig cfg = ViTConfig.of(16, 3, 4, 16, 2, 2, 32, 10);
        CheckpointAnalysis init = checkpoint("epoch-000", 0, pos(0.01, -0.1, -0.2), List.of(
                head(0, 0, 9, "global"), head(0, 1, 11, "global"), head(1, 0, 10, "global"), head(1, 1, 10, "global")),
                Double.NaN);
        CheckpointAnalysis trained = checkpoint("epoch-005", 5, pos(-0.5, 0.9, 0.75), List.of(
                head(0, 1, 3, "mixed"), head(0, 0, 7, "local"), head(1, 0, 12, "global"), head(1, 1, 13, "global")),
                0.8);
        return new AnalysisResult(1, ModelSummary.of(cfg), 4, 10.0, HeadTypeRules.defaults(), List.of(init, trained),
                List.of(), null, "none", null);
    }

    private Trajectory trajectory() throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Files.writeString(metrics, """
                {"epoch": 3, "testAccuracy": 0.5}
                {"epoch": 5, "testAccuracy": 0.25}
                {"epoch": 5, "trainLoss": 1.0}
                not json
                {"epoch": 5, "testAccuracy": 0.625}
                """);
        return Trajectory.of(fabricated(), TestAccuracies.read(metrics));
    }

    @Test
    void csvHasOneHandCheckableRowPerCheckpoint() throws Exception {
        String[] lines = TrajectoryTables.csv(trajectory()).split("\n");
        assertEquals(3, lines.length);
        assertEquals("checkpoint,epoch,testAccuracy,c1Rho,rowR2,colR2,layer0MinDistancePx,layer0MeanDistancePx,"
                + "layer0MinDistanceFraction,layer0MeanDistanceFraction,clsHeads,horizontalHeads,verticalHeads,localHeads,"
                + "globalHeads,contentHeads,mixedHeads,c7DepthRho,layer0Head0DistancePx,layer0Head1DistancePx", lines[0]);
        assertEquals("epoch-000,0,,0.01,-0.1,-0.2,9,10,0.9,1,0,0,0,0,4,0,0,,9,11", lines[1]);
        assertEquals("epoch-005,5,0.625,-0.5,0.9,0.75,3,5,0.3,0.5,0,0,0,1,2,0,1,0.8,7,3", lines[2]);
    }

    @Test
    void markdownHasTheSameRows() throws Exception {
        String md = TrajectoryTables.markdown(trajectory());
        assertTrue(md.contains("| checkpoint | epoch | test accuracy | C1 rho | row R^2 | col R^2 | L0 min dist (px) |"
                + " L0 mean dist (px) | L0 min / uniform | L0 mean / uniform | cls | horizontal | vertical | local | global |"
                + " content | mixed | C7 depth rho |\n"), md);
        assertTrue(md.contains("| epoch-000 | 0 |  | 0.01 | -0.1 | -0.2 | 9 | 10 | 0.9 | 1 | 0 | 0 | 0 | 0 | 4 | 0 | 0 |  |\n"), md);
        assertTrue(md.contains("| epoch-005 | 5 | 0.625 | -0.5 | 0.9 | 0.75 | 3 | 5 | 0.3 | 0.5 | 0 | 0 | 0 | 1 | 2 | 0 | 1 | 0.8 |\n"), md);
        assertTrue(md.contains("| checkpoint | head 0 | head 1 |\n|---|---:|---:|\n| epoch-000 | 9 | 11 |\n| epoch-005 | 7 | 3 |\n"), md);
    }

    @Test
    void withoutPositionEmbeddingOrMetricsTheCellsAreBlank() throws Exception {
        AnalysisResult r = fabricated();
        CheckpointAnalysis c = r.checkpoints().get(1);
        CheckpointAnalysis noPos = new CheckpointAnalysis(c.checkpoint(), c.epoch(), c.images(), null, "no position embedding",
                c.heads(), c.layers(), 0, 0, 0, c.meanAttentionDistanceDepthRho());
        AnalysisResult one = new AnalysisResult(1, r.model(), 4, 10.0, r.headTypeRules(), List.of(noPos), List.of(), null,
                "none", null);
        String[] lines = TrajectoryTables.csv(Trajectory.of(one, TestAccuracies.read(dir.resolve("absent.jsonl")))).split("\n");
        assertEquals("epoch-005,5,,,,,3,5,0.3,0.5,0,0,0,1,2,0,1,0.8,7,3", lines[1]);
    }

    @Test
    void filesAreWrittenAndTheJsonNamesTheColumns() throws Exception {
        TrajectoryFiles.write(trajectory(), dir);
        assertEquals(TrajectoryTables.csv(trajectory()), Files.readString(dir.resolve(TrajectoryFiles.CSV)));
        assertEquals(TrajectoryTables.markdown(trajectory()), Files.readString(dir.resolve(TrajectoryFiles.MARKDOWN)));
        var json = io.vitlens.analysis.AnalysisJson.mapper().readTree(dir.resolve(TrajectoryFiles.JSON).toFile());
        assertEquals(10.0, json.get("uniformAttentionMeanDistancePx").doubleValue());
        var row = json.get("rows").get(1);
        assertEquals(0.625, row.get("testAccuracy").doubleValue());
        assertEquals(2, row.get("headTypeCounts").get("global").intValue());
        assertEquals(3.0, row.get("layer0HeadDistancesPx").get(1).doubleValue());
        assertTrue(json.get("rows").get(0).get("testAccuracy").isNull());
        assertTrue(json.get("rows").get(0).get("c7DepthRho").isNull());
    }
}
