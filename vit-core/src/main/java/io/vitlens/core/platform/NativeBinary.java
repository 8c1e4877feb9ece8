package io.vitlens.core.platform;

/**
 * Which of ND4J's three x86-64 CPU builds of libnd4j this process loads. All three jars are on the class path
 * (nd4j-native linux-x86_64, -avx2, -avx512); JavaCPP loads the one named by the system property
 * {@value #PROPERTY} and, where that property is unset, tries the AVX-512 build first, which kills the JVM
 * with SIGILL on a processor without AVX-512. {@link #select()} therefore sets the property to the best build
 * this processor can run, before anything touches ND4J: the CLI's {@code main} and the test launcher call it.
 * A value the user set (e.g. {@code -Dorg.bytedeco.javacpp.platform.extension=} for the generic build) wins.
 */
public enum NativeBinary {
    /** libnd4j built for Skylake-X: needs the AVX-512 F, CD, BW, DQ and VL subsets. */
    AVX512("-avx512", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
    /** libnd4j built for Haswell: AVX2, FMA, F16C, BMI1/2. */
    AVX2("-avx2", "avx2", "fma", "f16c", "bmi1", "bmi2"),
    /** The baseline x86-64 build (SSE only). */
    GENERIC("");

    /** JavaCPP's system property for the platform extension (the classifier suffix) of the natives it loads. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private final String extension;
    private final String[] requiredFlags;

    NativeBinary(String extension, String... requiredFlags) {
        this.extension = extension;
        this.requiredFlags = requiredFlags;
    }

    /** The classifier suffix, e.g. "-avx2" for nd4j-native's linux-x86_64-avx2 jar; "" for the generic build. */
    public String extension() {
        return extension;
    }

    /** The fastest build whose instructions the processor has; GENERIC when none (or flags unknown). */
    public static NativeBinary best(CpuFlags cpu) {
        for (NativeBinary b : values()) {
            if (cpu.hasAll(b.requiredFlags)) return b;
        }
        return GENERIC;
    }

    /**
     * Sets {@value #PROPERTY} to the best build for this processor unless it is set already (or this is not
     * x86-64 Linux, where ND4J has no variants) and returns the build that will load.
     */
    public static synchronized NativeBinary select() {
        String set = System.getProperty(PROPERTY);
        if (set != null) return fromExtension(set);
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            return GENERIC;
        }
        NativeBinary best = best(CpuFlags.current());
        System.setProperty(PROPERTY, best.extension);
        return best;
    }

    /** The build a property value names ("" or anything unknown: the generic one). */
    public static NativeBinary fromExtension(String value) {
        for (NativeBinary b : values()) {
            if (b.extension.equals(value.trim())) return b;
        }
        return GENERIC;
    }

    /** e.g. "linux-x86_64-avx2". */
    public String classifier() {
        return "linux-x86_64" + extension;
    }
}
