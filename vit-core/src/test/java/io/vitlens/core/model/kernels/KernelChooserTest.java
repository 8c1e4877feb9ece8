package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KernelChooser} with a fake timer that reports chosen durations per implementation: it must pick the
 * faster one, time each key once per machine, trust the cache only for the same fingerprint, and let a run's
 * pinned choices and the override properties win.
 */
class KernelChooserTest {

    @TempDir Path dir;

    /** Reports {@code millis.get(impl)} (times a factor per key, if given) and counts the runs. */
    static final class FakeTimer implements KernelTimer {
        final Map<String, Double> millis;
        final List<String> runs = new ArrayList<>();

        FakeTimer(Map<String, Double> millis) {
            this.millis = millis;
        }

        @Override
        public double millis(KernelKey key, String impl, Runnable run) {
            run.run();
            runs.add(impl);
            return millis.get(impl);
        }
    }

    static final MachineFingerprint MACHINE = new MachineFingerprint(Map.of("cpu", "test cpu", "cores", "2"));
    static final KernelKey KEY = KernelKey.linear(KernelFamily.LINEAR_WEIGHT_GRAD, 8320, 128, 256);

    private final int[] ran = new int[2];   // real runs of {vector, openblas}

    private Map<String, Runnable> both() {
        return KernelChooser.candidates(KernelChooser.VECTOR, () -> ran[0]++, KernelChooser.OPENBLAS, () -> ran[1]++);
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(KernelChooser.LINEAR_PROPERTY);
        System.clearProperty(KernelChooser.ATTENTION_PROPERTY);
    }

    @Test
    void picksTheFasterCandidateAndTimesEachKeyOnce() {
        FakeTimer vectorFast = new FakeTimer(Map.of("vector", 5.0, "openblas", 9.0));
        KernelChooser c = new KernelChooser(vectorFast, null, MACHINE);
        assertEquals("vector", c.choose(KEY, both()));
        int perCandidate = KernelChooser.WARMUP + KernelChooser.ROUNDS;
        assertEquals(2 * perCandidate, vectorFast.runs.size());
        assertEquals(perCandidate, ran[0]);
        assertEquals(perCandidate, ran[1]);
        assertEquals("vector", c.choose(KEY, both()), "remembered");
        assertEquals(2 * perCandidate, vectorFast.runs.size(), "not timed again");
        KernelChoice choice = c.snapshot().get(KEY.toString());
        assertEquals(Map.of("vector", 5.0, "openblas", 9.0), choice.millis());
        assertEquals("measured", choice.source());

        FakeTimer blasFast = new FakeTimer(Map.of("vector", 7.5, "openblas", 3.0));
        assertEquals("openblas", new KernelChooser(blasFast, null, MACHINE).choose(KEY, both()));
    }

    @Test
    void medianIgnoresOneSlowOutlier() {
        // vector is usually 4 ms but one timed round takes 100 ms; openblas is always 6 ms
        int[] calls = {0};
        KernelTimer t = (key, impl, run) -> impl.equals("openblas") ? 6.0
                : (calls[0]++ == KernelChooser.WARMUP + 1 ? 100.0 : 4.0);
        assertEquals("vector", new KernelChooser(t, null, MACHINE).choose(KEY, both()));
        assertEquals(5.0, KernelChooser.median(new double[]{9, 1, 5, 100, 3}));
        assertEquals(4.0, KernelChooser.median(new double[]{5, 3, 100, 1}));
    }

    @Test
    void cacheServesTheSameMachineOnlyAndSurvivesDamage() throws Exception {
        Path file = dir.resolve("sub/kernel-choices.json");
        new KernelChooser(new FakeTimer(Map.of("vector", 9.0, "openblas", 2.0)), file, MACHINE).choose(KEY, both());
        assertTrue(Files.isRegularFile(file));
        assertTrue(Files.readString(file).contains(KEY.toString()));

        FakeTimer second = new FakeTimer(Map.of("vector", 1.0, "openblas", 2.0));
        KernelChooser again = new KernelChooser(second, file, MACHINE);
        assertEquals("openblas", again.choose(KEY, both()), "the cached choice, not a new measurement");
        assertEquals(0, second.runs.size());
        assertEquals("cache", again.snapshot().get(KEY.toString()).source());

        MachineFingerprint other = new MachineFingerprint(Map.of("cpu", "test cpu", "cores", "2", "OPENBLAS_CORETYPE", "Haswell"));
        FakeTimer third = new FakeTimer(Map.of("vector", 1.0, "openblas", 2.0));
        assertEquals("vector", new KernelChooser(third, file, other).choose(KEY, both()), "another machine measures anew");
        assertTrue(third.runs.size() > 0);
        // both machines' entries are kept in the one file
        assertEquals("openblas", new KernelChooser(second, file, MACHINE).choose(KEY, both()));

        Files.writeString(file, "{ not json");
        FakeTimer fourth = new FakeTimer(Map.of("vector", 1.0, "openblas", 2.0));
        KernelChooser afterDamage = new KernelChooser(fourth, file, MACHINE);
        assertEquals("vector", afterDamage.choose(KEY, both()), "a damaged cache is ignored and measured anew");
        assertTrue(Files.readString(file).contains("\"format\""), "and rewritten");
    }

    @Test
    void pinnedChoicesWinOverTheCacheAndAreNotMeasured() {
        FakeTimer t = new FakeTimer(Map.of("vector", 1.0, "openblas", 2.0));
        KernelChooser c = new KernelChooser(t, null, MACHINE);
        c.pin(Map.of(KEY.toString(), "openblas"));
        assertEquals("openblas", c.choose(KEY, both()));
        assertEquals(0, t.runs.size());
        assertEquals("run", c.snapshot().get(KEY.toString()).source());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.pin(Map.of(KEY.toString(), "cuda")));
        assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains(KEY.toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.pin(Map.of("linear.forward@12x3", "vector")));
        assertTrue(e.getMessage().contains("linear.forward@12x3"), e.getMessage());
    }

    @Test
    void propertiesOverrideWithoutMeasuring() {
        FakeTimer t = new FakeTimer(Map.of("vector", 1.0, "openblas", 2.0));
        KernelChooser c = new KernelChooser(t, null, MACHINE);
        System.setProperty(KernelChooser.LINEAR_PROPERTY, "openblas");
        assertEquals("openblas", c.choose(KEY, both()));
        KernelKey attn = KernelKey.attention(KernelFamily.ATTENTION_FORWARD, 128, 65, 4, 32);
        System.setProperty(KernelChooser.ATTENTION_PROPERTY, "OpenBLAS");
        assertEquals("openblas", c.choose(attn, both()));
        assertEquals(0, t.runs.size());
        assertEquals(Map.of(KEY.toString(), "openblas", attn.toString(), "openblas"), c.used());
        c.clearUsed();
        assertEquals(Map.of(), c.used());

        System.setProperty(KernelChooser.LINEAR_PROPERTY, "fastest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.choose(KEY, both()));
        assertTrue(e.getMessage().contains("-Dvitlens.linear=fastest") && e.getMessage().contains("auto, vector or openblas"),
                e.getMessage());
        System.setProperty(KernelChooser.LINEAR_PROPERTY, "auto");
        assertEquals("vector", c.choose(KEY, both()), "auto measures");
    }

    @Test
    void aSingleCandidateIsTakenAsIs() {
        FakeTimer t = new FakeTimer(Map.of("vector", 1.0, "openblas", 2.0));
        assertEquals("openblas", new KernelChooser(t, null, MACHINE)
                .choose(KEY, Map.of("openblas", () -> ran[1]++)));
        assertEquals(0, t.runs.size());
    }

    @Test
    void keysRoundRowsUpToPowersOfTwoAndParseBack() {
        assertEquals("linear.forward@16384x384x128", KernelKey.linear(KernelFamily.LINEAR_FORWARD, 8320, 384, 128).toString());
        assertEquals("linear.forward@8192x384x128", KernelKey.linear(KernelFamily.LINEAR_FORWARD, 8192, 384, 128).toString());
        assertEquals("linear.forward@1x384x128", KernelKey.linear(KernelFamily.LINEAR_FORWARD, 1, 384, 128).toString());
        KernelKey a = KernelKey.attention(KernelFamily.ATTENTION_BACKWARD, 80, 65, 4, 32);
        assertEquals("attention.backward@128x65x4x32", a.toString());
        assertEquals(a, KernelKey.parse(a.toString()));
        assertEquals(KEY, KernelKey.parse(KEY.toString()));
        assertThrows(IllegalArgumentException.class, () -> KernelKey.parse("linear.forward"));
        assertThrows(IllegalArgumentException.class, () -> KernelKey.parse("conv.forward@1x2x3"));
        assertThrows(IllegalArgumentException.class, () -> KernelKey.parse("attention.forward@1x2x3"));
        assertThrows(IllegalArgumentException.class, () -> KernelKey.parse("linear.forward@1x-2x3"));
        assertThrows(IllegalArgumentException.class, () -> KernelKey.linear(KernelFamily.ATTENTION_FORWARD, 1, 2, 3));
    }

    @Test
    void fingerprintNamesWhatTimingsDependOn() {
        MachineFingerprint f = MachineFingerprint.current();
        for (String k : List.of("cpu", "cores", "OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "vector", "java", "kernels"))
            assertTrue(f.fields().containsKey(k), k);
        assertEquals(f.id(), MachineFingerprint.current().id(), "stable");
        assertEquals(16, f.id().length());
        assertTrue(!f.id().equals(MACHINE.id()));
    }
}
