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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's trajectory section: both charts are real PNGs, and the table names the head nearest each rule. */
class TrajectorySectionTest {

    @TempDir
    Path dir;

    @Test
    void writesTheFiguresAndTheLargestMassCells() throws Exception {
        AnalysisResult r = TrajectoryTestData.fabricated();
        String html = TrajectorySection.write(Trajectory.of(r, Map.of(5, 0.625)), dir, "figures");
        for (String f : new String[]{TrajectorySection.FIGURE, TrajectorySection.MASS_FIGURE, TrajectorySection.TYPES_FIGURE}) {
            BufferedImage png = ImageIO.read(dir.resolve("figures").resolve(f).toFile());
            assertNotNull(png, f);
            assertTrue(png.getWidth() > 200 && png.getHeight() > 60, f);
            assertTrue(html.contains("figures/" + f), f);
        }
        // epoch-005's hand-set masses (TrajectoryTest's fixture): local 0.6 at L0H0, CLS 0.25 at L1H1
        assertTrue(html.contains("<td class=\"num\">0.6 (L0H0)</td>"), html);
        assertTrue(html.contains("<td class=\"num\">0.25 (L1H1)</td>"), html);
        assertTrue(html.contains("local 0.5, row 0.5, column 0.5, cls 0.5"), html);
    }

    @Test
    void theTimelineColoursEachHeadsCellByItsType() throws Exception {
        Trajectory t = Trajectory.of(TrajectoryTestData.fabricated(), Map.of());
        BufferedImage png = HeadTypeTimeline.render(t);
        int cw = HeadTypeTimeline.cellWidth(2);
        // rows L0H0, L0H1, L1H0, L1H1; columns epoch-000, epoch-005 (types: all global, then local, mixed, global, global)
        assertEquals(colour("global"), pixel(png, cw, 0, 0));
        assertEquals(colour("local"), pixel(png, cw, 1, 0));
        assertEquals(colour("mixed"), pixel(png, cw, 1, 1));
        assertEquals(colour("global"), pixel(png, cw, 1, 3));
    }

    private static int colour(String type) {
        return HeadTypeTimeline.TYPE_COLOURS.get(io.vitlens.analysis.HeadTypeRules.ORDER.indexOf(type)).getRGB();
    }

    /** The centre of the cell of checkpoint column x and head row y. */
    private static int pixel(BufferedImage png, int cw, int x, int y) {
        return png.getRGB(HeadTypeTimeline.LEFT + x * cw + cw / 2, HeadTypeTimeline.TOP + y * HeadTypeTimeline.CELL_H
                + HeadTypeTimeline.CELL_H / 2);
    }
}
