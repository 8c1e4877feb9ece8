package io.vitlens.training.config;

/** A configuration problem; the message names the file and key, and says what was expected. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) { super(message); }
    public ConfigException(String message, Throwable cause) { super(message, cause); }
}
