package io.vitlens.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data:} section. {@code augmentation} and {@code synthetic} are kept as trees here and bound
 * to the data module's records by {@link DataConfigs}, so that their unknown keys fail with the full path.
 */
public final class DataSection {
    public String dataset = "synthetic-shapes";
    public String dataDir = null;
    public int batchSize = 128;
    public double validationFraction = 0.0;
    public boolean skipBadFiles = false;
    public Map<String, Object> augmentation = new LinkedHashMap<>();
    public Map<String, Object> synthetic = new LinkedHashMap<>();
}
