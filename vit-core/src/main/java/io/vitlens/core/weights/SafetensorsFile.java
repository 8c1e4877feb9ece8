package io.vitlens.core.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file: its tensors, in the order of their data in the file
 * (ascending byte offsets), and the string-to-string {@code __metadata__} (empty when absent).
 * Both maps are unmodifiable and keep their order.
 */
public record SafetensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
