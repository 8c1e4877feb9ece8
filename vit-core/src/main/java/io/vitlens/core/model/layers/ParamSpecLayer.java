package io.vitlens.core.model.layers;

import java.util.List;

/** A layer configuration that lists its parameters, in flattened order, for {@link SpecParamInitializer}. */
public interface ParamSpecLayer {
    List<ParamSpec> paramSpecs();
}
