package io.vitlens.training.cli;

import io.vitlens.core.platform.NativeBinary;

import picocli.CommandLine;

/** Entry point of {@code ./vit}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        NativeBinary.select();   // before anything loads ND4J: the AVX-512 build must not load on an AVX2 CPU
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 ok, 1 internal error, 2 bad input, 3 non-finite training). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new VitCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new java.io.PrintWriter(System.out, true));
        cli.setErr(new java.io.PrintWriter(System.err, true));
        return cli.execute(args);
    }
}
