package io.vitlens.core.model.kernels;

/**
 * Whether the row kernels may use the JDK's incubating Vector API ({@link SimdRows}).
 *
 * <p>Java 17 ships it as the module {@code jdk.incubator.vector}, resolved only when the JVM is started
 * with {@code --add-modules jdk.incubator.vector} (the {@code ./vit} launcher and the test runs do so).
 * Without it, or with {@code -Dvitlens.simd=false}, the kernels fall back to their scalar loops, which
 * compute the same functions. This class must not touch the vector classes itself, so that loading it
 * never fails.
 */
public final class Simd {

    /** System property that turns the vector kernels off ({@code false}), e.g. to measure their gain. */
    public static final String PROPERTY = "vitlens.simd";

    /** True when {@link SimdRows} can be used in this JVM. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));

    private Simd() {
    }

    /** A short description for benchmark reports, e.g. "vector API, 512-bit" or "scalar". */
    public static String describe() {
        return AVAILABLE ? "vector API, " + SimdRows.bits() + "-bit" : "scalar";
    }
}
