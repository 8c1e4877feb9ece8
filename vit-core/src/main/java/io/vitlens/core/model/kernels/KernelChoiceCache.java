package io.vitlens.core.model.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-machine file of measured {@link KernelChoice}s, so that a machine times each shape once:
 * {@code {"format": 1, "machines": {ID: {"fingerprint": {...}, "choices": {KEY: {"impl", "millis", "measuredAt"}}}}}}
 * with ID = {@link MachineFingerprint#id()}. Written atomically (temporary file, then rename) and merged on
 * every write, so processes sharing it lose at most an entry, which is then measured again. A damaged file is
 * reported and ignored: the cache only saves time.
 */
final class KernelChoiceCache {
    private static final Logger log = LoggerFactory.getLogger(KernelChoiceCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int FORMAT = 1;

    private final Path file;
    private boolean warned;

    KernelChoiceCache(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The cached choices of {@code machine}; empty when the file is absent or unreadable. */
    Map<KernelKey, KernelChoice> load(MachineFingerprint machine) {
        Map<KernelKey, KernelChoice> out = new HashMap<>();
        ObjectNode root = readRoot();
        JsonNode choices = root.path("machines").path(machine.id()).path("choices");
        for (Iterator<Map.Entry<String, JsonNode>> it = choices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                KernelKey key = KernelKey.parse(e.getKey());
                String impl = e.getValue().path("impl").asText("");
                if (!KernelChooser.IMPLS.contains(impl)) continue;
                Map<String, Double> millis = new LinkedHashMap<>();
                e.getValue().path("millis").fields().forEachRemaining(m -> millis.put(m.getKey(), m.getValue().asDouble()));
                out.put(key, new KernelChoice(impl, millis, "cache", e.getValue().path("measuredAt").asText(null)));
            } catch (IllegalArgumentException bad) {
                log.debug("{}: ignoring entry {}: {}", file, e.getKey(), bad.getMessage());
            }
        }
        return out;
    }

    /** Adds (or replaces) one measured choice of {@code machine}. Failures are logged once, not thrown. */
    synchronized void store(MachineFingerprint machine, KernelKey key, KernelChoice choice) {
        try {
            ObjectNode root = readRoot();
            root.put("format", FORMAT);
            ObjectNode machines = root.with("machines");
            ObjectNode m = machines.with(machine.id());
            m.set("fingerprint", JSON.valueToTree(machine.fields()));
            ObjectNode entry = m.with("choices").putObject(key.toString());
            entry.put("impl", choice.impl());
            entry.set("millis", JSON.valueToTree(choice.millis()));
            if (choice.measuredAt() != null) entry.put("measuredAt", choice.measuredAt());
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            if (!warned) log.warn("cannot write the kernel-choice cache {}: {} (choices are measured again next time)", file, e.toString());
            warned = true;
        }
    }

    private ObjectNode readRoot() {
        if (!Files.isRegularFile(file)) return JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (n instanceof ObjectNode o && o.path("format").asInt(-1) == FORMAT) return o;
            if (!warned) log.warn("{}: not a format-{} kernel-choice cache; ignoring it (it is rewritten on the next measurement)", file, FORMAT);
        } catch (IOException | RuntimeException e) {
            if (!warned) log.warn("{}: unreadable kernel-choice cache ({}); ignoring it", file, e.getMessage());
        }
        warned = true;
        return JSON.createObjectNode();
    }
}
