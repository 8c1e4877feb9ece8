package io.vitlens.analysis;

import io.vitlens.analysis.examples.ExampleOptions;
import io.vitlens.core.Normalization;
import io.vitlens.core.ViTConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.vitlens.analysis.FakeRun.CFG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Analyzer#runInTurn} holds one checkpoint's weights at a time: a spy loader counts the checkpoints loaded
 * and not yet released, and the numbers equal those of the all-in-memory {@link Analyzer#run}.
 */
class OneCheckpointAtATimeTest {

    @TempDir
    Path dir;

    /** Counts live loads across the sources of one run and records the order of events. */
    static final class Spy {
        int live, maxLive;
        final List<String> events = new ArrayList<>();
    }

    /** A source that builds its model only when loaded, like a checkpoint file. */
    record SpySource(String name, int epoch, Supplier<AnalysisInput> make, Spy spy) implements CheckpointSource {
        @Override public ViTConfig config() { return CFG; }
        @Override public Normalization normalization() { return null; }
        @Override public LoadedCheckpoint load() {
            spy.live++;
            spy.maxLive = Math.max(spy.maxLive, spy.live);
            spy.events.add("load " + name);
            return new LoadedCheckpoint(make.get().model(), () -> {
                spy.live--;
                spy.events.add("release " + name);
            });
        }
    }

    /** Three checkpoints, given out of order: epoch-005, epoch-000, epoch-009 (a second trained one). */
    private static List<CheckpointSource> sources(Spy spy) {
        return List.of(
                new SpySource("epoch-005", 5, () -> FakeRun.trained(CFG), spy),
                new SpySource("epoch-000", 0, () -> FakeRun.initial(CFG), spy),
                new SpySource("epoch-009", 9, () -> FakeRun.trained(CFG), spy));
    }

    @Test
    void eachCheckpointIsReleasedBeforeTheNextIsLoaded() throws Exception {
        Spy spy = new Spy();
        INDArray images = FakeInspector.images(CFG, 6, 4);
        Analyzer.Analysis a = new Analyzer(AnalysisOptions.defaults().withPermutations(99, 1))
                .runInTurn(sources(spy), images, null, null);
        assertEquals(1, spy.maxLive, spy.events.toString());
        assertEquals(0, spy.live, "every checkpoint is released at the end: " + spy.events);
        assertEquals(List.of("load epoch-000", "release epoch-000", "load epoch-005", "release epoch-005",
                "load epoch-009", "release epoch-009"), spy.events);
        assertEquals(List.of("epoch-000", "epoch-005", "epoch-009"),
                a.result().checkpoints().stream().map(CheckpointAnalysis::checkpoint).toList());
    }

    @Test
    void theLastStaysLoadedOnlyForTheExampleImagesThenIsReleased() throws Exception {
        Spy spy = new Spy();
        INDArray images = FakeInspector.images(CFG, 6, 4);
        List<String> stagesWhileLive = new ArrayList<>();
        Analyzer.Analysis a = new Analyzer(AnalysisOptions.defaults().withPermutations(99, 1), ExampleOptions.of(2))
                .runInTurn(sources(spy), images, null, (stage, done, total) -> {
                    if (stage.startsWith("example images")) stagesWhileLive.add(stage + " live=" + spy.live);
                });
        assertEquals(1, spy.maxLive, spy.events.toString());
        assertEquals(0, spy.live);
        assertTrue(stagesWhileLive.stream().allMatch(s -> s.endsWith("live=1")), stagesWhileLive.toString());
        assertEquals("epoch-009", a.result().exampleImages().checkpoint());
    }

    @Test
    void aFailingCheckpointIsReleasedAndNothingLaterIsLoaded() {
        Spy spy = new Spy();
        INDArray wrong = FakeInspector.images(ViTConfig.of(32, 3, 4, 16, 2, 2, 32, 10), 2, 1); // images of another size
        assertThrows(IllegalArgumentException.class, () -> new Analyzer(null).runInTurn(sources(spy), wrong, null, null));
        assertEquals(0, spy.live, spy.events.toString());
        assertEquals(List.of("load epoch-000", "release epoch-000"), spy.events);
    }

    @Test
    void theNumbersEqualThoseOfTheAllInMemoryRun() throws Exception {
        INDArray images = FakeInspector.images(CFG, 6, 4);
        Path metrics = FakeRun.metrics(dir);
        AnalysisOptions o = AnalysisOptions.defaults().withPermutations(99, 1);
        AnalysisResult inTurn = new Analyzer(o).runInTurn(List.of(
                new SpySource("epoch-005", 5, () -> FakeRun.trained(CFG), new Spy()),
                new SpySource("epoch-000", 0, () -> FakeRun.initial(CFG), new Spy())), images, metrics, null).result();
        AnalysisResult inMemory = new Analyzer(o).analyze(List.of(FakeRun.trained(CFG), FakeRun.initial(CFG)), images,
                metrics, null);
        assertEquals(AnalysisJson.mapper().writeValueAsString(inMemory), AnalysisJson.mapper().writeValueAsString(inTurn));
    }
}
