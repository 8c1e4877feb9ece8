package io.vitlens.training.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by every command (picocli mixins). */
final class CommonOptions {
    private CommonOptions() {}

    static final class Debug {
        @Option(names = "--debug", description = "Print stack traces of errors.")
        boolean debug;
    }

    /** The same flags on every command that reads data; they override the config's data section. */
    static final class DataOptions {
        @Option(names = "--dataset", paramLabel = "NAME",
                description = "cifar10, cifar100, image-folder, fashion-mnist, mnist, synthetic-shapes")
        String dataset;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory or archive.")
        Path dataDir;

        @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
                description = "train, validation or test (default: ${DEFAULT-VALUE}).")
        String split;
    }
}
