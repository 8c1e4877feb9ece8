package io.vitlens.training.cli;

import io.vitlens.data.DatasetFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download CIFAR-10 or CIFAR-100 (binary version) from the official URL, verifying its MD5.",
                "Example: vit fetch cifar10 --out ~/data/cifar10  (then: --dataset cifar10 --data-dir ~/data/cifar10/cifar-10-binary.tar.gz)"})
final class FetchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET", description = "cifar10 or cifar100") String dataset;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to download into.") Path out;
    @Option(names = "--url", paramLabel = "URL", description = "Another source (mirror or file: URL); the MD5 is still checked.") URI url;
    @Mixin CommonOptions.Debug debug;

    @Override
    public Integer call() throws Exception {
        DatasetFetcher.Source src = DatasetFetcher.official(dataset);
        Path file = DatasetFetcher.fetch(dataset, url != null ? url : src.url(), out, src.md5());
        System.out.println("fetched " + file);
        return 0;
    }
}
