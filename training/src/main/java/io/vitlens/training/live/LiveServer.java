package io.vitlens.training.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The live page on localhost only (the JDK's built-in HTTP server, no dependency): {@code /} is the
 * page, {@code /status.json} its data. Requests are answered on the server's own thread, so a slow
 * browser never holds up training.
 */
public final class LiveServer implements AutoCloseable {

    private final HttpServer server;

    private LiveServer(HttpServer server) { this.server = server; }

    /** @param port 0 for any free port */
    public static LiveServer start(LiveStatus status, int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        s.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/index.html")) send(ex, 200, "text/html; charset=utf-8", LivePage.HTML);
            else if (path.equals("/status.json")) send(ex, 200, "application/json", status.json());
            else send(ex, 404, "text/plain; charset=utf-8", "not found: " + path);
        });
        s.start();
        return new LiveServer(s);
    }

    public int port() { return server.getAddress().getPort(); }

    public String url() { return "http://localhost:" + port() + "/"; }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override public void close() { server.stop(0); }
}
