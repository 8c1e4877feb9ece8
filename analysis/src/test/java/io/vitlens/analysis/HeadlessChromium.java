package io.vitlens.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromium, headless, driven over the DevTools protocol (a WebSocket, java.net.http): enough
 * to load a page, send real mouse events, evaluate JavaScript and collect every script error and
 * console error the page produces. Started with the flags that keep it from reaching for the network
 * (without them it hangs on refused connections here) and a fresh profile.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Every event received, in order (method + params). */
    final List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());

    HeadlessChromium(Path profile) throws Exception {
        this.profile = profile;
        List<String> cmd = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1400,1200", "about:blank");
        process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int port = awaitPort(process);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (JsonNode t : JSON.readTree(list))
            if ("page".equals(t.path("type").asText())) { ws = t.path("webSocketDebuggerUrl").asText(); break; }
        if (ws == null) throw new IllegalStateException("chromium lists no page target: " + list);
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(ws), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    /** Reads chromium's stderr until it says where DevTools listens; keeps draining it afterwards. */
    private static int awaitPort(Process p) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = err.readLine()) != null) {
                    if (!port.isDone()) {
                        seen.append(line).append('\n');
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("chromium exited before DevTools listened:\n" + seen));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "chromium-stderr");
        t.setDaemon(true);
        t.start();
        return port.get(30, TimeUnit.SECONDS);
    }

    /** Sends one DevTools command and waits for its result; a protocol error fails. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode r = f.get(30, TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
        return r.path("result");
    }

    /** Evaluates an expression in the page and returns its value (by value, so objects come back as JSON). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", params().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("page threw on " + expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** A real left click at viewport coordinates (press, then release). */
    void click(double x, double y) throws Exception {
        for (String type : new String[]{"mousePressed", "mouseReleased"})
            call("Input.dispatchMouseEvent", params().put("type", type).put("x", x).put("y", y).put("button", "left")
                    .put("clickCount", 1));
    }

    /** Waits until an event of this method has arrived. */
    JsonNode awaitEvent(String method, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            synchronized (events) {
                for (JsonNode e : events) if (method.equals(e.path("method").asText())) return e;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + method + " within " + timeout);
    }

    /** Uncaught exceptions, console.error calls and error log entries, as text. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (JsonNode e : events) {
                String m = e.path("method").asText();
                JsonNode p = e.path("params");
                if (m.equals("Runtime.exceptionThrown")) out.add("exception: " + p.path("exceptionDetails"));
                else if (m.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error"))
                    out.add("console.error: " + p.path("args"));
                else if (m.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error"))
                    out.add("log: " + p.path("entry"));
            }
        }
        return out;
    }

    static ObjectNode params() { return JSON.createObjectNode(); }

    @Override public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a leftover profile in the test's temp dir is harmless
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(buffer.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else {
                        events.add(msg);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "harness.badMessage").put("text", e.getMessage()));
                }
                buffer.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
