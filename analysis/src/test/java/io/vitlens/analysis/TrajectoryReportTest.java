package io.vitlens.analysis;

import io.vitlens.analysis.report.TrajectorySection;
import io.vitlens.analysis.trajectory.Trajectory;
import io.vitlens.analysis.trajectory.TrajectoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.vitlens.analysis.FakeRun.CFG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A report written with a trajectory: the files, the section and its chart; nothing else of the page changes. */
class TrajectoryReportTest {

    @TempDir
    Path dir;

    @Test
    void theTrajectoryIsAddedAndTheRestOfThePageIsUnchanged() throws Exception {
        AnalysisResult r = new Analyzer(AnalysisOptions.defaults().withPermutations(99, 1))
                .analyze(List.of(FakeRun.initial(CFG), FakeRun.trained(CFG)), FakeInspector.images(CFG, 4, 2), null, null);
        Path plain = dir.resolve("plain"), with = dir.resolve("with");
        ReportWriter.write(r, null, plain);
        ReportWriter.write(r, null, Trajectory.of(r, Map.of(5, 0.5)), with);

        for (String f : List.of(TrajectoryFiles.CSV, TrajectoryFiles.JSON, TrajectoryFiles.MARKDOWN)) {
            assertTrue(Files.isRegularFile(with.resolve(f)), f);
            assertTrue(!Files.exists(plain.resolve(f)), f + " is written only with a trajectory");
        }
        List<String> csv = Files.readAllLines(with.resolve(TrajectoryFiles.CSV));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("epoch-000,0,,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("epoch-005,5,0.5,"), csv.get(2));

        String html = Files.readString(with.resolve("index.html"));
        String figure = ReportWriter.FIGURES + "/" + TrajectorySection.FIGURE;
        assertTrue(Files.size(with.resolve(figure)) > 0);
        assertTrue(html.contains("src=\"" + figure + "\""), "the chart is shown");
        int start = html.indexOf("<h2 id=\"trajectory\">"), end = html.indexOf("<h2 id=\"gradients\">");
        assertTrue(start > 0 && end > start);
        String withoutSection = (html.substring(0, start) + html.substring(end))
                .replace("<a href=\"#trajectory\">trajectory</a>", "");
        assertEquals(Files.readString(plain.resolve("index.html")), withoutSection);
        assertEquals(Files.readString(plain.resolve("analysis.json")), Files.readString(with.resolve("analysis.json")));
    }
}
