package io.vitlens.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBinaryTest {

    // flags lines as /proc/cpuinfo prints them (shortened): Zen 4 with AVX-512, Zen 3, an Atom-class part
    static final String ZEN4 = "flags\t\t: fpu sse sse2 avx f16c fma bmi1 avx2 bmi2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16";
    static final String ZEN3 = "flags\t\t: fpu sse sse2 ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand bmi1 avx2 bmi2";
    static final String SSE_ONLY = "flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt";

    @Test
    void picksTheFastestBuildTheProcessorRuns() {
        assertEquals(NativeBinary.AVX512, NativeBinary.best(CpuFlags.parse(ZEN4)));
        assertEquals(NativeBinary.AVX2, NativeBinary.best(CpuFlags.parse(ZEN3)));
        assertEquals(NativeBinary.GENERIC, NativeBinary.best(CpuFlags.parse(SSE_ONLY)));
        assertEquals(NativeBinary.GENERIC, NativeBinary.best(CpuFlags.parse("")));
    }

    @Test
    void avx512FoundationAloneIsNotEnough() {
        // Knights Landing has avx512f/cd but not bw/dq/vl, which the Skylake-X build uses
        assertEquals(NativeBinary.AVX2, NativeBinary.best(CpuFlags.parse(ZEN3 + " avx512f avx512cd avx512er avx512pf")));
    }

    @Test
    void classifiersAndExtensionsMatchTheNd4jJars() {
        assertEquals("linux-x86_64-avx512", NativeBinary.AVX512.classifier());
        assertEquals("linux-x86_64-avx2", NativeBinary.AVX2.classifier());
        assertEquals("linux-x86_64", NativeBinary.GENERIC.classifier());
        assertEquals(NativeBinary.AVX2, NativeBinary.fromExtension("-avx2"));
        assertEquals(NativeBinary.GENERIC, NativeBinary.fromExtension(""));
        assertEquals(NativeBinary.GENERIC, NativeBinary.fromExtension("-nonsense"));
    }

    @Test
    void readsTheFirstFlagsLineAndSurvivesAMissingFile(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: AMD EPYC\n" + ZEN3 + "\n\nprocessor\t: 1\n" + ZEN4 + "\n");
        assertEquals(NativeBinary.AVX2, NativeBinary.best(CpuFlags.read(cpuinfo)));
        assertTrue(CpuFlags.read(dir.resolve("missing")).flags().isEmpty());
    }

    @Test
    void theTestLauncherSelectedABuildThisProcessorRuns() {
        // NativeBinaryTestSetup ran before this class; ND4J loading at all in the other tests proves the rest
        String chosen = System.getProperty(NativeBinary.PROPERTY);
        assertTrue(chosen != null, NativeBinary.PROPERTY + " should be set by the launcher session listener");
        NativeBinary b = NativeBinary.fromExtension(chosen);
        assertTrue(b.ordinal() >= NativeBinary.best(CpuFlags.current()).ordinal(), "chose " + b + " on a CPU whose best is "
                + NativeBinary.best(CpuFlags.current()));
    }
}
