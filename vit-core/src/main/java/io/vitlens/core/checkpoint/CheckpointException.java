package io.vitlens.core.checkpoint;

import java.io.IOException;

/** A checkpoint that cannot be used; the message names the file and what was wrong. */
public class CheckpointException extends IOException {
    public CheckpointException(String message) { super(message); }
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
