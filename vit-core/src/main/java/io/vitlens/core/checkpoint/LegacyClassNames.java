package io.vitlens.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.core.model.WarmupCosineSchedule;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Classes of ours that a {@code model.dl4j} names and that have moved since. DL4J serialises polymorphic parts of
 * the configuration (an updater's {@code ISchedule}, say) with Jackson's {@code "@class": "<Java class name>"},
 * and restoring looks that name up verbatim, so a moved class makes every checkpoint naming it unreadable.
 * Before DL4J sees {@code configuration.json}, every {@code "@class"} value listed here is replaced by the class's
 * current name; everything else in the archive is passed on byte for byte.
 */
public final class LegacyClassNames {
    /** Old name -> current name. Add a line whenever a class that checkpoints name moves; never remove one. */
    static final Map<String, String> MOVED = Map.of(
            // format 1, until the schedule moved to vit-core (issue #16): the training module's copy
            "io.vitlens.training.optim.WarmupCosineSchedule", WarmupCosineSchedule.class.getName());

    private static final String CONFIGURATION = "configuration.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyClassNames() {}

    /** {@code model} (a DL4J model archive) with moved class names replaced; the same array when none occurs. */
    static byte[] update(byte[] model) throws IOException {
        if (!mentionsAny(model)) return model;
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(model));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals(CONFIGURATION)) bytes = updateConfiguration(bytes);
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The configuration JSON with every moved {@code "@class"} value replaced. */
    static byte[] updateConfiguration(byte[] json) throws IOException {
        JsonNode root = JSON.readTree(json);
        rename(root);
        return JSON.writeValueAsBytes(root);
    }

    private static void rename(JsonNode n) {
        if (n instanceof ObjectNode o) {
            JsonNode c = o.get("@class");
            if (c != null && c.isTextual() && MOVED.containsKey(c.textValue())) o.put("@class", MOVED.get(c.textValue()));
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) rename(it.next());
    }

    /** Whether configuration.json names a moved class (read as an entry: DL4J deflates it). */
    private static boolean mentionsAny(byte[] model) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(model))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.getName().equals(CONFIGURATION)) continue;
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String old : MOVED.keySet()) if (text.contains("\"" + old + "\"")) return true;
                return false;
            }
        }
        return false;
    }
}
