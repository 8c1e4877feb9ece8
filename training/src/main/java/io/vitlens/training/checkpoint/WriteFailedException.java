package io.vitlens.training.checkpoint;

import java.nio.file.Path;

/**
 * The training module's name for {@link io.vitlens.core.io.WriteFailedException}, from before atomic writes
 * moved to vit-core ({@link io.vitlens.core.io.AtomicFiles}); kept so that code throwing or catching it by this
 * name still compiles. Catch the vit-core class: {@code AtomicFiles} throws that one.
 */
public class WriteFailedException extends io.vitlens.core.io.WriteFailedException {
    public WriteFailedException(Path target, String message, Throwable cause) {
        super(target, message, cause);
    }
}
