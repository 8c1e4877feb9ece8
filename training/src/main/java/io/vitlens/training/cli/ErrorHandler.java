package io.vitlens.training.cli;

import io.vitlens.training.NonFiniteException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Turns exceptions into one clear paragraph on stderr and an exit status: 2 for bad input (configs, files,
 * arguments), 3 when training went non-finite, 1 for anything unexpected. Stack traces only with {@code --debug}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int NON_FINITE = 3;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = Arrays.asList(parsed.originalArgs().toArray(new String[0])).contains("--debug");
        PrintWriter err = cmd.getErr();
        Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        int status;
        String kind;
        if (cause instanceof NonFiniteException) {
            status = NON_FINITE;
            kind = "training stopped";
        } else if (cause instanceof IllegalArgumentException || cause instanceof IOException) {
            status = BAD_INPUT;
            kind = "error";
        } else {
            status = 1;
            kind = "internal error";
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + kind + ": " + message(cause));
        if (status == 1 && !debug) err.println("(run again with --debug for the stack trace)");
        if (debug) cause.printStackTrace(err);
        err.flush();
        return status;
    }

    private static String message(Throwable t) {
        // NIO's exceptions carry only the path ("NoSuchFileException: x.zip"); say what happened to it
        if (t instanceof java.nio.file.FileSystemException f)
            return io.vitlens.core.io.WriteFailedException.describe(f);
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
