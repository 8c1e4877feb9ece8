package io.vitlens.analysis.report;

import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.trajectory.Trajectory;
import io.vitlens.analysis.trajectory.TrajectoryTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's trajectory section: both charts are real PNGs, and the table names the head nearest each rule. */
class TrajectorySectionTest {

    @TempDir
    Path dir;

    @Test
    void writesBothChartsAndTheLargestMassCells() throws Exception {
        AnalysisResult r = TrajectoryTestData.fabricated();
        String html = TrajectorySection.write(Trajectory.of(r, Map.of(5, 0.625)), dir, "figures");
        for (String f : new String[]{TrajectorySection.FIGURE, TrajectorySection.MASS_FIGURE}) {
            BufferedImage png = ImageIO.read(dir.resolve("figures").resolve(f).toFile());
            assertNotNull(png, f);
            assertTrue(png.getWidth() >= 640, f);
            assertTrue(html.contains("figures/" + f), f);
        }
        // epoch-005's hand-set masses (TrajectoryTest's fixture): local 0.6 at L0H0, CLS 0.25 at L1H1
        assertTrue(html.contains("<td class=\"num\">0.6 (L0H0)</td>"), html);
        assertTrue(html.contains("<td class=\"num\">0.25 (L1H1)</td>"), html);
        assertTrue(html.contains("local 0.5, row 0.5, column 0.5, cls 0.5"), html);
    }
}
