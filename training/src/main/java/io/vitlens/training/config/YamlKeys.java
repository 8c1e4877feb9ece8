package io.vitlens.training.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** The YAML spelling of a record component: the naming Jackson binds the config with ({@code warmupEpochs} -> {@code warmup-epochs}). */
final class YamlKeys {
    static final PropertyNamingStrategies.NamingBase NAMING = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

    private YamlKeys() {}

    /** {@code section.component} as written in YAML, e.g. {@code model.patch-size}; an empty section gives the bare key. */
    static String of(String section, String component) {
        String key = NAMING.translate(component);
        return section.isEmpty() ? key : section + "." + key;
    }
}
