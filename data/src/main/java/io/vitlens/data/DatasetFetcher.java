package io.vitlens.data;

import io.vitlens.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Downloads the official CIFAR archives ({@code vit data fetch}), verifies their MD5 against the
 * checksums published on https://www.cs.toronto.edu/~kriz/cifar.html and moves them into place
 * atomically, so a half-written file is never mistaken for the dataset. Accepts http(s) and file URIs
 * (mirrors, offline copies, tests).
 */
public final class DatasetFetcher {
    private static final Logger log = LoggerFactory.getLogger(DatasetFetcher.class);

    /** An archive a dataset can be fetched as. */
    public record Source(String dataset, URI url, String fileName, String md5) {}

    public static final Source CIFAR10 = new Source("cifar10",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), "cifar-10-binary.tar.gz",
            "c32a1d4ab5d03f1284b67883e8d87530");
    public static final Source CIFAR100 = new Source("cifar100",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"), "cifar-100-binary.tar.gz",
            "03b5dce01913d631647c71ecec9e9cb8");

    private DatasetFetcher() {}

    /** The official source of {@code dataset}. */
    public static Source official(String dataset) {
        return switch (dataset) {
            case "cifar10" -> CIFAR10;
            case "cifar100" -> CIFAR100;
            default -> throw new IllegalArgumentException("fetch: no download for dataset '" + dataset
                    + "', expected cifar10 or cifar100 (fashion-mnist: apt-get install dataset-fashion-mnist)");
        };
    }

    /** {@link #fetch(String, URI, Path, String)} from the official URL into the default location. */
    public static Path fetch(String dataset) throws IOException {
        return fetch(dataset, null, Datasets.defaultLocation(DatasetKind.of(dataset)), null);
    }

    /**
     * Downloads the archive of {@code dataset} into {@code destDir/<official file name>} unless a file
     * with the expected checksum is already there.
     *
     * @param source      where to download from; {@code null} means the official URL
     * @param expectedMd5 hex MD5 the download must have; {@code null} means the official checksum
     * @return the archive's path, which {@link Datasets#open} accepts as {@code dataDir} (as does destDir)
     * @throws DatasetException when the checksum does not match (nothing is left at the destination)
     */
    public static Path fetch(String dataset, URI source, Path destDir, String expectedMd5) throws IOException {
        Source official = official(dataset);
        URI from = source != null ? source : official.url();
        String md5 = (expectedMd5 != null ? expectedMd5 : official.md5()).toLowerCase(Locale.ROOT);
        if (!md5.matches("[0-9a-f]{32}"))
            throw new IllegalArgumentException("fetch: expected MD5 '" + expectedMd5 + "' is not 32 hex digits");
        Files.createDirectories(destDir);
        Path target = destDir.resolve(official.fileName());
        if (Files.isRegularFile(target) && md5(target).equals(md5)) {
            log.info("{} already present with the expected MD5", target);
            return target;
        }
        // downloaded into a temporary sibling that becomes the archive only with the expected checksum
        AtomicFiles.write(target, out -> {
            String actual;
            long t0 = System.nanoTime();
            try (InputStream in = open(from)) {
                DigestInputStream digest = new DigestInputStream(in, md5Digest());
                long bytes = digest.transferTo(out);
                actual = HexFormat.of().formatHex(digest.getMessageDigest().digest());
                log.info("downloaded {} bytes from {} in {} ms", bytes, from, (System.nanoTime() - t0) / 1_000_000);
            }
            if (!actual.equals(md5))
                throw new DatasetException("fetch: " + from + " has MD5 " + actual + ", expected " + md5
                        + "; the download is corrupt or not the official " + official.fileName());
        });
        return target;
    }

    private static InputStream open(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                Path p = Path.of(uri);
                if (!Files.isRegularFile(p)) throw new DatasetException("fetch: " + p + " does not exist");
                return Files.newInputStream(p);
            case "http":
            case "https":
                HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(30)).build();
                HttpRequest req = HttpRequest.newBuilder(uri).GET().build();
                try {
                    HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                    if (resp.statusCode() != 200) {
                        resp.body().close();
                        throw new IOException("fetch: HTTP " + resp.statusCode() + " from " + uri + ", expected 200");
                    }
                    return resp.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("fetch: interrupted while connecting to " + uri);
                }
            default:
                throw new IllegalArgumentException("fetch: unsupported URI scheme in " + uri + ", expected http, https or file");
        }
    }

    /** Hex MD5 of a file. */
    public static String md5(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5Digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no MD5", e);
        }
    }
}
