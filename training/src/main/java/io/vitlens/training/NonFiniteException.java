package io.vitlens.training;

/** The loss or a gradient became NaN or infinite; training stops and the last good checkpoint stays. */
public class NonFiniteException extends RuntimeException {
    public NonFiniteException(String message) { super(message); }
    public NonFiniteException(String message, Throwable cause) { super(message, cause); }
}
