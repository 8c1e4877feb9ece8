package io.vitlens.core.model.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks, per {@link KernelKey}, the faster of the implementations that can run it (the Vector API loops or
 * OpenBLAS) by timing both on the call's own arrays the first time the key is seen, and remembers the answer:
 * in this process, in a per-machine cache file ({@link KernelChoiceCache}), and, through {@link #pin}, in a
 * run directory, so that a resumed run computes exactly what the first part did.
 *
 * <p>Why measure: which path is faster depends on how OpenBLAS is configured, not only on the CPU. On the
 * same AVX-512 machine, OpenBLAS's AVX2 kernels lost to the vector loops, its AVX-512 ones tied with them,
 * and its auto-detected kernels (no OPENBLAS_CORETYPE) lost by far (docs/performance.md); an environment
 * rule guessed wrong on machines whose environment differed.
 *
 * <p>Timing: each candidate runs {@link #WARMUP} times untimed (the JIT compiles the vector loops during the
 * first calls), then {@link #ROUNDS} timed rounds in alternating order; the median decides. Candidates must
 * be idempotent (they overwrite their outputs), which every product family here is.
 *
 * <p>Overrides: {@code -Dvitlens.linear=vector|openblas|auto} for the linear layers and
 * {@code -Dvitlens.attention=vector|openblas|auto} for the attention heads ({@code -Dvitlens.simdAttention=false}
 * is read as {@code openblas}); {@code -Dvitlens.kernelCache=PATH|none} moves or disables the cache file
 * (default {@code $XDG_CACHE_HOME/vit-lens/kernel-choices.json}, else {@code ~/.cache/...}).
 */
public final class KernelChooser {
    private static final Logger log = LoggerFactory.getLogger(KernelChooser.class);

    public static final String VECTOR = "vector";
    public static final String OPENBLAS = "openblas";
    static final Set<String> IMPLS = Set.of(VECTOR, OPENBLAS);

    public static final String LINEAR_PROPERTY = "vitlens.linear";
    public static final String ATTENTION_PROPERTY = "vitlens.attention";
    public static final String CACHE_PROPERTY = "vitlens.kernelCache";

    static final int WARMUP = 3;
    static final int ROUNDS = 5;

    private static volatile KernelChooser global;

    private final KernelTimer timer;
    private final KernelChoiceCache cache;
    private final MachineFingerprint machine;
    private final Map<KernelKey, KernelChoice> table = new ConcurrentHashMap<>();
    private final Map<KernelKey, String> used = new ConcurrentHashMap<>();

    /**
     * @param timer     how a candidate's run is timed
     * @param cacheFile the per-machine cache, or null for none
     * @param machine   whose entries of the cache apply
     */
    public KernelChooser(KernelTimer timer, Path cacheFile, MachineFingerprint machine) {
        this.timer = timer;
        this.machine = machine;
        this.cache = cacheFile == null ? null : new KernelChoiceCache(cacheFile);
        if (cache != null) table.putAll(cache.load(machine));
    }

    /** The process-wide chooser (wall clock, the configured cache file, this machine). */
    public static KernelChooser get() {
        KernelChooser c = global;
        if (c == null) {
            synchronized (KernelChooser.class) {
                if (global == null) global = new KernelChooser(KernelTimer.WALL_CLOCK, defaultCacheFile(), MachineFingerprint.current());
                c = global;
            }
        }
        return c;
    }

    /** Replaces the process-wide chooser (tests); null goes back to the default on next use. */
    public static void install(KernelChooser c) {
        synchronized (KernelChooser.class) {
            global = c;
        }
    }

    /** The cache file named by {@code vitlens.kernelCache}, or the user's cache directory; null for {@code none}. */
    static Path defaultCacheFile() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p != null && !p.isBlank()) return p.trim().equalsIgnoreCase("none") ? null : Path.of(p.trim());
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("vit-lens").resolve("kernel-choices.json");
    }

    /** The cache file this chooser reads and writes, or null. */
    public Path cacheFile() {
        return cache == null ? null : cache.file();
    }

    /**
     * The implementation to run {@code key} with, among {@code candidates} (name -> one idempotent run on the
     * caller's arrays, in a fixed order). Times them the first time a key is seen unless overridden, cached or
     * pinned. With one candidate, that one.
     */
    public String choose(KernelKey key, Map<String, Runnable> candidates) {
        if (candidates.isEmpty()) throw new IllegalArgumentException(key + ": no candidate implementation");
        String forced = override(key.family());
        String impl;
        if (candidates.size() == 1) {
            impl = candidates.keySet().iterator().next();
        } else if (forced != null && candidates.containsKey(forced)) {
            impl = forced;
        } else {
            KernelChoice c = table.get(key);
            if (c == null || !candidates.containsKey(c.impl())) c = measureOnce(key, candidates);
            impl = c.impl();
        }
        used.put(key, impl);
        return impl;
    }

    private synchronized KernelChoice measureOnce(KernelKey key, Map<String, Runnable> candidates) {
        KernelChoice c = table.get(key);   // another thread may have measured it meanwhile
        if (c != null && candidates.containsKey(c.impl())) return c;
        c = measure(key, candidates);
        table.put(key, c);
        if (cache != null) cache.store(machine, key, c);
        log.info("kernel choice {}: {} ({})", key, c.impl(), describeMillis(c.millis()));
        return c;
    }

    private KernelChoice measure(KernelKey key, Map<String, Runnable> candidates) {
        List<String> names = new ArrayList<>(candidates.keySet());
        for (String n : names)
            for (int i = 0; i < WARMUP; i++) timer.millis(key, n, candidates.get(n));
        Map<String, double[]> times = new LinkedHashMap<>();
        for (String n : names) times.put(n, new double[ROUNDS]);
        for (int r = 0; r < ROUNDS; r++) {
            for (int j = 0; j < names.size(); j++) {   // rotate the order so drift does not favour one
                String n = names.get((j + r) % names.size());
                times.get(n)[r] = timer.millis(key, n, candidates.get(n));
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        String best = null;
        for (String n : names) {
            double m = median(times.get(n));
            medians.put(n, m);
            if (best == null || m < medians.get(best)) best = n;
        }
        return new KernelChoice(best, medians, "measured", Instant.now().toString());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** The implementation a system property forces for {@code f}, or null for {@code auto}. */
    static String override(KernelFamily f) {
        String prop = f.linear() ? LINEAR_PROPERTY : ATTENTION_PROPERTY;
        String v = System.getProperty(prop);
        if ((v == null || v.isBlank()) && !f.linear()
                && "false".equalsIgnoreCase(System.getProperty(SimdAttention.PROPERTY, "true")))
            return OPENBLAS;
        if (v == null || v.isBlank()) return null;
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return null;
        if (!IMPLS.contains(s))
            throw new IllegalArgumentException("-D" + prop + "=" + v + ": expected auto, vector or openblas");
        return s;
    }

    /**
     * Fixes choices recorded by a run ({@link #used()} of an earlier process), e.g. on resume: they win over
     * the cache and are never re-measured in this process. Unknown implementations are an error naming them.
     */
    public void pin(Map<String, String> choices) {
        choices.forEach((k, impl) -> {
            if (!IMPLS.contains(impl))
                throw new IllegalArgumentException("kernel choice " + k + " = '" + impl + "': expected vector or openblas");
            table.put(KernelKey.parse(k), new KernelChoice(impl, Map.of(), "run", null));
        });
    }

    /** The choices made since the last {@link #clearUsed()}, as {@code key -> impl}, sorted by key. */
    public Map<String, String> used() {
        Map<String, String> out = new TreeMap<>();
        used.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    public void clearUsed() {
        used.clear();
    }

    /** Everything known: measured, cached and pinned choices, sorted by key. */
    public Map<String, KernelChoice> snapshot() {
        Map<String, KernelChoice> out = new TreeMap<>();
        table.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    /** "vector 1.23 ms, openblas 2.34 ms": the medians that decided a choice, for logs and reports. */
    public static String describeMillis(Map<String, Double> millis) {
        StringBuilder b = new StringBuilder();
        millis.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.2f ms", v)));
        return b.toString();
    }

    /** Two candidates in a fixed order. */
    public static Map<String, Runnable> candidates(String a, Runnable ra, String b, Runnable rb) {
        Map<String, Runnable> m = new LinkedHashMap<>();
        m.put(a, ra);
        m.put(b, rb);
        return m;
    }
}
