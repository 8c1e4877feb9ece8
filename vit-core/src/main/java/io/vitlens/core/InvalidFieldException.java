package io.vitlens.core;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A value a record's constructor refuses, with the message built from the record's component names, so that each
 * front end can name the keys the way its user wrote them. {@link #getMessage()} names them as
 * {@code section.component} ("model.patchSize: 5 does not divide model.imageSize 16"); the YAML config reader asks
 * for {@link #message} with its own names ("model.patch-size: 5 does not divide model.image-size 16") instead of
 * rewriting that text.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private final String field;
    private final transient Function<UnaryOperator<String>, String> text;

    /**
     * @param section the record's place in the config, e.g. {@code data.augmentation}; prefixes the names of
     *                {@link #getMessage()}
     * @param field   the record component whose value is refused
     * @param text    the message, given a function from a component name of the same record to the name to print
     */
    public InvalidFieldException(String section, String field, Function<UnaryOperator<String>, String> text) {
        super(text.apply(name -> section + "." + name));
        this.field = field;
        this.text = text;
    }

    /** {@code field}'s name, then a colon and what is wrong with it. */
    public static InvalidFieldException of(String section, String field, String problem) {
        return new InvalidFieldException(section, field, name -> name.apply(field) + ": " + problem);
    }

    /** The record component whose value is refused. */
    public String field() {
        return field;
    }

    /** The message with every key named by {@code keyName} (a component name to the name its user knows). */
    public String message(UnaryOperator<String> keyName) {
        return text == null ? getMessage() : text.apply(keyName);   // null only in a deserialised copy
    }
}
