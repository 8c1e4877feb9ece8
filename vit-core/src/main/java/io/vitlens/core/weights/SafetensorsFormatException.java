package io.vitlens.core.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a valid safetensors file, or holds something this reader does not support.
 *
 * <p>It extends {@link IOException} because a broken file is an input problem of the same kind as
 * an unreadable one: every caller that reads weights already handles {@code IOException}, and
 * should report both to the user the same way. The message always starts with the file name and
 * names the tensor or header field that is wrong.
 */
public final class SafetensorsFormatException extends IOException {

    private final Path file;

    public SafetensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that failed to parse. */
    public Path file() { return file; }
}
