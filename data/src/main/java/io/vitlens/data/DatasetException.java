package io.vitlens.data;

import java.io.IOException;

/**
 * A dataset file exists but is not what its format promises: wrong size, bad magic number, truncated,
 * undecodable, labels out of range, a missing member file or folder. The message names the file and what
 * was expected, so the user can fix the data without reading code.
 */
public class DatasetException extends IOException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
