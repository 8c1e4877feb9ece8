package io.vitlens.training.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Command-line mistakes (unknown option, missing value, a value of the wrong type) as one short paragraph:
 * the problem, picocli's "did you mean" suggestions, the command's synopsis, and where the full help is;
 * exit status 2 like every other bad input. Picocli's default prints the whole help page instead, which
 * buries the one line that matters.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        CommandLine.Help help = cmd.getHelp();
        String heading = "Usage: ";
        err.print(heading + help.synopsis(heading.length()));
        err.println("Run '" + name + " --help' for what each option expects.");
        err.flush();
        return ErrorHandler.BAD_INPUT;
    }
}
