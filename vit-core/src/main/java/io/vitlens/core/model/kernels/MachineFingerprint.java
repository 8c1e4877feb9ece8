package io.vitlens.core.model.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a kernel timing depends on besides the shape: the processor, the core count, the environment that
 * steers OpenBLAS and the thread pools, the Java vector width and version, and the kernels' own class files
 * (a rebuilt kernel invalidates what was measured for the old one). Two processes with equal fingerprints
 * share cached {@link KernelChoice}s.
 *
 * @param fields the parts, in a fixed order
 */
public record MachineFingerprint(Map<String, String> fields) {

    public MachineFingerprint {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** This JVM's fingerprint. */
    public static MachineFingerprint current() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cpu", cpuModel());
        f.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        for (String env : new String[]{"OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_L2_SIZE"}) {
            String v = System.getenv(env);
            f.put(env, v == null || v.isBlank() ? "unset" : v.trim());
        }
        f.put("libnd4j", io.vitlens.core.platform.NativeBinary.fromExtension(
                System.getProperty(io.vitlens.core.platform.NativeBinary.PROPERTY, "")).classifier());
        f.put("vector", Simd.describe());
        f.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        f.put("kernels", classDigest("SimdLinear.class", "SimdAttention.class", "SimdRows.class", "Blas.class"));
        return new MachineFingerprint(f);
    }

    /** A short stable id: the first 16 hex digits of SHA-256 over the fields. */
    public String id() {
        return HexFormat.of().formatHex(sha256(fields.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** SHA-256 (first 12 hex digits) of the named class files beside this class; missing ones are skipped. */
    private static String classDigest(String... names) {
        MessageDigest md = digest();
        for (String n : names) {
            try (InputStream in = MachineFingerprint.class.getResourceAsStream(n)) {
                if (in != null) md.update(in.readAllBytes());
            } catch (IOException e) {
                md.update(n.getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    }

    private static byte[] sha256(byte[] b) {
        return digest().digest(b);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
