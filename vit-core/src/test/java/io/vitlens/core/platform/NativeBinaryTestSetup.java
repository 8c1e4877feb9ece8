package io.vitlens.core.platform;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Picks libnd4j's CPU build before any test touches ND4J, as the CLI's main does. Registered through
 * META-INF/services of vit-core's test-jar, which every module's tests have on their class path.
 */
public final class NativeBinaryTestSetup implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBinary.select();
    }
}
