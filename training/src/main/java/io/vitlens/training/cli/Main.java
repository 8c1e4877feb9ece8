package io.vitlens.training.cli;

import picocli.CommandLine;

/** Entry point of {@code ./vit}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
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
