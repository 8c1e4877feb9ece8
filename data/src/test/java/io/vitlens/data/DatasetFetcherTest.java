package io.vitlens.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class DatasetFetcherTest {
    /** MD5 of the 11 ASCII bytes "hello world" (as printed by {@code echo -n "hello world" | md5sum}). */
    private static final String HELLO_MD5 = "5eb63bbbe01eeed093cb22bb8f5acdc3";
    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @Test
    void fileUriIsCopiedAfterChecksumVerification() throws IOException {
        Path src = tmp.resolve("mirror.tar.gz");
        Files.write(src, HELLO);
        Path dest = tmp.resolve("dest");
        Path got = DatasetFetcher.fetch("cifar10", src.toUri(), dest, HELLO_MD5);
        assertEquals(dest.resolve("cifar-10-binary.tar.gz"), got);
        assertArrayEquals(HELLO, Files.readAllBytes(got));
        assertEquals(List.of("cifar-10-binary.tar.gz"), Files.list(dest).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void checksumMismatchLeavesNothingBehind() throws IOException {
        Path src = tmp.resolve("mirror.tar.gz");
        Files.write(src, HELLO);
        Path dest = tmp.resolve("dest");
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetFetcher.fetch("cifar100", src.toUri(), dest, null));   // the official CIFAR-100 MD5
        assertTrue(e.getMessage().contains(HELLO_MD5) && e.getMessage().contains("03b5dce01913d631647c71ecec9e9cb8"), e.getMessage());
        assertEquals(List.of(), Files.list(dest).toList());
    }

    @Test
    void httpDownloadFromALocalServerAndSkipWhenPresent() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cifar.tar.gz", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, HELLO.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(HELLO);
            }
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path dest = tmp.resolve("dest");
            Path got = DatasetFetcher.fetch("cifar10", URI.create(base + "/cifar.tar.gz"), dest, HELLO_MD5.toUpperCase());
            assertArrayEquals(HELLO, Files.readAllBytes(got));
            assertEquals(1, requests.get());
            DatasetFetcher.fetch("cifar10", URI.create(base + "/cifar.tar.gz"), dest, HELLO_MD5);
            assertEquals(1, requests.get(), "a file with the expected checksum is not downloaded again");
            IOException e = assertThrows(IOException.class,
                    () -> DatasetFetcher.fetch("cifar10", URI.create(base + "/missing"), tmp.resolve("d2"), HELLO_MD5));
            assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("/missing"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DatasetFetcher.fetch("mnist", null, tmp, null));
        assertThrows(IllegalArgumentException.class, () -> DatasetFetcher.fetch("cifar10", URI.create("ftp://x/y"), tmp, HELLO_MD5));
        assertThrows(IllegalArgumentException.class, () -> DatasetFetcher.fetch("cifar10", tmp.toUri(), tmp, "xyz"));
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", DatasetFetcher.official("cifar10").md5());
    }
}
