package io.vitlens.core.model.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector-path tests (SimdRowsTest, LinearOpsTest, AttentionCoreTest, FastFloatKernelsTest...) skip a case
 * when the vector kernels are not active for its shape. Without {@code --add-modules jdk.incubator.vector} in
 * the test JVM they would all skip and the suite would pass while testing none of the kernels training uses:
 * this test makes that run fail instead (surefire's argLine in the root pom adds the module).
 */
class VectorModuleTest {
    @Test
    void theTestJvmHasTheVectorModuleAndTheVectorKernelsAreOn() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the test JVM lacks jdk.incubator.vector: run it with --add-modules jdk.incubator.vector "
                        + "(surefire's argLine in the root pom), or every vector-kernel test is skipped");
        assertTrue(Simd.AVAILABLE, "the vector kernels are off (-D" + Simd.PROPERTY + "=false?) although the module is "
                + "present; their tests would be skipped");
        assertTrue(FastFloatKernels.INSTANCE.vectorized(), "FastFloatKernels runs its scalar loops; the vector paths go untested");
    }
}
