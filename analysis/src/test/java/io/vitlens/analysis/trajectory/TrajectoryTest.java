package io.vitlens.analysis.trajectory;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.CheckpointAnalysis;
import io.vitlens.analysis.HeadTypeRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trajectory table from {@link TrajectoryTestData#fabricated()}, whose rows are checked by hand. */
class TrajectoryTest {

    @TempDir
    Path dir;

    private Trajectory trajectory() throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Files.writeString(metrics, """
                {"epoch": 3, "testAccuracy": 0.5}
                {"epoch": 5, "testAccuracy": 0.25}
                {"epoch": 5, "trainLoss": 1.0}
                not json
                {"epoch": 5, "testAccuracy": 0.625}
                """);
        return Trajectory.of(TrajectoryTestData.fabricated(), TestAccuracies.read(metrics));
    }

    @Test
    void csvHasOneHandCheckableRowPerCheckpoint() throws Exception {
        String[] lines = TrajectoryTables.csv(trajectory()).split("\n");
        assertEquals(3, lines.length);
        assertEquals("checkpoint,epoch,testAccuracy,c1Rho,rowR2,colR2,layer0MinDistancePx,layer0MeanDistancePx,"
                + "layer0MinDistanceFraction,layer0MeanDistanceFraction,clsHeads,horizontalHeads,verticalHeads,localHeads,"
                + "globalHeads,contentHeads,mixedHeads,c7DepthRho," + TrajectoryTestData.LARGEST_HEADER + ",layer0Head0DistancePx,"
                + "layer0Head1DistancePx", lines[0]);
        assertEquals("epoch-000,0,,0.01,-0.1,-0.2,9,10,0.9,1,0,0,0,0,4,0,0,,0.1,L0H0,0.1,L0H0,0.1,L0H0,0,L0H0,9,11", lines[1]);
        assertEquals("epoch-005,5,0.625,-0.5,0.9,0.75,3,5,0.3,0.5,0,0,0,1,2,0,1,0.8,0.6,L0H0,0.3,L1H0,0.35,L1H0,0.25,L1H1,7,3",
                lines[2]);
    }

    @Test
    void markdownHasTheSameRows() throws Exception {
        String md = TrajectoryTables.markdown(trajectory());
        assertTrue(md.contains("| checkpoint | epoch | test accuracy | C1 rho | row R^2 | col R^2 | L0 min dist (px) |"
                + " L0 mean dist (px) | L0 min / uniform | L0 mean / uniform | cls | horizontal | vertical | local | global |"
                + " content | mixed | C7 depth rho | max local mass | max local head | max row mass | max row head |"
                + " max column mass | max column head | max cls mass | max cls head |\n"), md);
        assertTrue(md.contains("| epoch-000 | 0 |  | 0.01 | -0.1 | -0.2 | 9 | 10 | 0.9 | 1 | 0 | 0 | 0 | 0 | 4 | 0 | 0 |  |"
                + " 0.1 | L0H0 | 0.1 | L0H0 | 0.1 | L0H0 | 0 | L0H0 |\n"), md);
        assertTrue(md.contains("| epoch-005 | 5 | 0.625 | -0.5 | 0.9 | 0.75 | 3 | 5 | 0.3 | 0.5 | 0 | 0 | 0 | 1 | 2 | 0 | 1 | 0.8 |"
                + " 0.6 | L0H0 | 0.3 | L1H0 | 0.35 | L1H0 | 0.25 | L1H1 |\n"), md);
        assertTrue(md.contains("| checkpoint | head 0 | head 1 |\n|---|---:|---:|\n| epoch-000 | 9 | 11 |\n| epoch-005 | 7 | 3 |\n"), md);
        assertTrue(md.contains("| checkpoint | L0H0 | L0H1 | L1H0 | L1H1 |\n|---|---:|---:|---:|---:|\n"
                + "| epoch-000 | global | global | global | global |\n| epoch-005 | local | mixed | global | global |\n"), md);
    }

    @Test
    void withoutPositionEmbeddingOrMetricsTheCellsAreBlank() throws Exception {
        AnalysisResult r = TrajectoryTestData.fabricated();
        CheckpointAnalysis c = r.checkpoints().get(1);
        CheckpointAnalysis noPos = new CheckpointAnalysis(c.checkpoint(), c.epoch(), c.images(), null, "no position embedding",
                c.heads(), c.layers(), 0, 0, 0, c.meanAttentionDistanceDepthRho());
        AnalysisResult one = new AnalysisResult(1, r.model(), 4, 10.0, r.headTypeRules(), List.of(noPos), List.of(), null,
                "none", null);
        String[] lines = TrajectoryTables.csv(Trajectory.of(one, TestAccuracies.read(dir.resolve("absent.jsonl")))).split("\n");
        assertEquals("epoch-005,5,,,,,3,5,0.3,0.5,0,0,0,1,2,0,1,0.8,0.6,L0H0,0.3,L1H0,0.35,L1H0,0.25,L1H1,7,3", lines[1]);
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
        assertEquals(0.35, row.get("largestMass").get("column").get("mass").doubleValue());
        assertEquals(1, row.get("largestMass").get("column").get("layer").intValue());
        assertEquals(0.5, json.get("massThresholds").get("local").doubleValue());
        assertEquals("local", row.get("headTypeByHead").get("L0H0").textValue());
    }

    @Test
    void thresholdsComeFromTheRulesTheAnalysisUsed() {
        AnalysisResult r = TrajectoryTestData.fabricated();
        HeadTypeRules strict = new HeadTypeRules(0.7, 0.6, 2.0, 0.4, 0.75, 0.8, 0.3, HeadTypeRules.ORDER, List.of());
        AnalysisResult withStrict = new AnalysisResult(1, r.model(), 4, 10.0, strict, r.checkpoints(), List.of(), null,
                "none", null);
        assertEquals(Map.of("local", 0.4, "row", 0.6, "column", 0.6, "cls", 0.7),
                Trajectory.of(withStrict, Map.of()).massThresholds());
    }
}
