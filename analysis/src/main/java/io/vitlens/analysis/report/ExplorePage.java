package io.vitlens.analysis.report;

import io.vitlens.analysis.AnalysisJson;
import io.vitlens.analysis.AnalysisResult;
import io.vitlens.analysis.AttentionAtlas;

import java.io.UncheckedIOException;

/**
 * The interactive page of a report, {@code explore.html} beside index.html: choose checkpoint, image,
 * layer and head, click a patch of the grid, and see that patch's position-embedding similarity and
 * the head's attention from it, each with a colour bar. Plain JavaScript on canvases with the data
 * embedded (see {@link ExploreData}): one self-contained file, no server, no network, works from
 * file://. It is a page of its own because index.html is kept free of scripts (readable with
 * JavaScript off, and ReportWriterTest holds it to that).
 *
 * <p>The script records uncaught errors in {@code window.vitExplore.errors} and counts renders, so
 * a browser test can tell a working page from one that only looks right.
 */
public final class ExplorePage {

    private ExplorePage() { }

    public static final String FILE_NAME = "explore.html";

    /** The whole page. */
    public static String page(AnalysisResult r, AttentionAtlas atlas) {
        return Html.head("vit-lens explore: " + r.last().checkpoint())
                + "<h1>Explore attention and position embeddings</h1>\n<p class=\"meta\">" + RunPage.modelLine(r.model())
                + "<br><a href=\"index.html\">back to the report</a></p>\n" + render(r, atlas) + Html.tail();
    }

    static String render(AnalysisResult r, AttentionAtlas atlas) {
        String json;
        try {
            json = AnalysisJson.mapper().writer().writeValueAsString(ExploreData.of(r, atlas));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        json = json.replace("</", "<\\/"); // a string can never close the script element early
        return """
                <h2 id="explore">Click a patch</h2>
                <p>Pick a checkpoint, an image (the mean over the analysis images, or one example image of the
                last checkpoint), a layer and a head; click a patch of the grid. Left: cosine similarity of that
                patch's position embedding with every patch's (C1). Right: the head's attention from that patch
                (its row of the patch-to-patch block, CLS key left out), over the image when one is chosen.
                Maps are stored with 256 levels per row; the exact numbers are in analysis.json.</p>
                <div class="explore-controls">
                <label>checkpoint <select id="ex-ckpt"></select></label>
                <label>image <select id="ex-image"></select></label>
                <label>layer <select id="ex-layer"></select></label>
                <label>head <select id="ex-head"></select></label>
                </div>
                <div class="row explore">
                <figure><canvas id="ex-grid" width="256" height="256"></canvas><figcaption>patch grid: click a patch (red = chosen)</figcaption></figure>
                <figure><canvas id="ex-pos" width="256" height="256"></canvas><canvas id="ex-pos-bar" width="84" height="256"></canvas><figcaption id="ex-pos-cap"></figcaption></figure>
                <figure><canvas id="ex-att" width="256" height="256"></canvas><canvas id="ex-att-bar" width="84" height="256"></canvas><figcaption id="ex-att-cap"></figcaption></figure>
                </div>
                <p id="ex-status" class="meta"></p>
                <script type="application/json" id="explore-data">""" + json + """
                </script>
                <script>
                """ + SCRIPT + "</script>\n";
    }

    private static final String SCRIPT = """
            (function () {
              'use strict';
              var X = window.vitExplore = {errors: [], renders: 0, state: null};
              window.addEventListener('error', function (e) { X.errors.push(String(e.message || e)); });
              var D = JSON.parse(document.getElementById('explore-data').textContent);
              var VIRIDIS = [0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989,
                0x3b528b, 0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e, 0x21918c, 0x1f988b,
                0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b, 0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e,
                0xaddc30, 0xc2df23, 0xd8e219, 0xece51b, 0xfde725];
              function viridis(t) { // the same table and interpolation as Viridis.java
                if (!(t === t)) return [128, 128, 128];
                var x = Math.max(0, Math.min(1, t)) * 255, k = 0;
                while (k < VIRIDIS.length - 2 && x > (k + 1 === VIRIDIS.length - 1 ? 255 : 8 * (k + 1))) k++;
                var a0 = 8 * k, a1 = k + 1 === VIRIDIS.length - 1 ? 255 : 8 * (k + 1), f = (x - a0) / (a1 - a0);
                var a = VIRIDIS[k], b = VIRIDIS[k + 1], out = [];
                for (var s = 16; s >= 0; s -= 8) out.push(Math.round((a >> s & 255) + ((b >> s & 255) - (a >> s & 255)) * f));
                return out;
              }
              function bytes(s) { var bin = atob(s), a = new Uint8Array(bin.length);
                for (var i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i); return a; }
              function row(M, i) { // one dequantised row of a stored matrix
                if (!M._q) M._q = bytes(M.q);
                var lo = Array.isArray(M.lo) ? M.lo[i] : M.lo, hi = Array.isArray(M.hi) ? M.hi[i] : M.hi;
                var out = new Float64Array(M.cols);
                for (var j = 0; j < M.cols; j++) out[j] = lo + M._q[i * M.cols + j] / 255 * (hi - lo);
                return out;
              }
              var g = D.g, N = g * g, S = D.imageSize;
              var el = function (id) { return document.getElementById(id); };
              var state = {ckpt: D.checkpoints.length - 1, image: -1, layer: 0, head: -1, query: D.query};
              function option(sel, value, text) { var o = document.createElement('option'); o.value = value; o.textContent = text; sel.appendChild(o); }
              D.checkpoints.forEach(function (c, i) { option(el('ex-ckpt'), i, c.name); });
              option(el('ex-image'), -1, 'mean over the ' + D.images + ' analysis images');
              D.examples.forEach(function (e, i) { option(el('ex-image'), i, 'test image ' + e.index + ' (' + D.exampleCheckpoint + ')'); });
              for (var l = 0; l < D.layers; l++) option(el('ex-layer'), l, 'layer ' + l);
              option(el('ex-head'), -1, 'mean of heads');
              for (var h = 0; h < D.heads; h++) option(el('ex-head'), h, 'head ' + h);
              el('ex-ckpt').value = state.ckpt;

              function image() { return state.image >= 0 ? D.examples[state.image] : null; }
              function rgbOf(ex) { if (!ex._rgb) ex._rgb = bytes(ex.rgb); return ex._rgb; }
              function attentionRow() { // [N] the chosen head's (or the heads' mean) attention from the query patch
                var maps = state.image >= 0 ? image().attention : D.checkpoints[state.ckpt].attention;
                if (!maps) return null;
                var hs = state.head >= 0 ? [state.head] : maps[state.layer].map(function (_, i) { return i; });
                var out = new Float64Array(N);
                hs.forEach(function (h) { var r = row(maps[state.layer][h], state.query);
                  for (var j = 0; j < N; j++) out[j] += r[j] / hs.length; });
                return out;
              }
              function paint(canvas, values, lo, hi, ex) { // values [N] on the grid; ex: image underneath or null
                var c = canvas.getContext('2d'), W = canvas.width, img = c.createImageData(W, W), px = ex ? rgbOf(ex) : null;
                for (var y = 0; y < W; y++) for (var x = 0; x < W; x++) {
                  var p = Math.floor(y * g / W) * g + Math.floor(x * g / W), o = (y * W + x) * 4;
                  var col = values ? viridis(hi > lo ? (values[p] - lo) / (hi - lo) : 0.5) : [235, 235, 235];
                  if (px) { var s = (Math.floor(y * S / W) * S + Math.floor(x * S / W)) * 3, a = values ? 0.6 : 0;
                    for (var k = 0; k < 3; k++) col[k] = Math.round((1 - a) * px[s + k] + a * col[k]); }
                  img.data[o] = col[0]; img.data[o + 1] = col[1]; img.data[o + 2] = col[2]; img.data[o + 3] = 255;
                }
                c.putImageData(img, 0, 0);
                c.strokeStyle = 'rgba(255,255,255,0.35)'; c.lineWidth = 1;
                for (var k = 1; k < g; k++) { var z = Math.round(k * W / g) + 0.5;
                  c.beginPath(); c.moveTo(z, 0); c.lineTo(z, W); c.moveTo(0, z); c.lineTo(W, z); c.stroke(); }
                var cell = W / g; c.strokeStyle = '#ff0000'; c.lineWidth = 2;
                c.strokeRect(Math.floor(state.query % g) * cell + 1, Math.floor(state.query / g) * cell + 1, cell - 2, cell - 2);
              }
              function bar(canvas, lo, hi, label) { // the colour bar: what each colour means on this map
                var c = canvas.getContext('2d'), H = canvas.height - 30;
                c.clearRect(0, 0, canvas.width, canvas.height);
                for (var i = 0; i < H; i++) { var v = viridis(1 - i / (H - 1));
                  c.fillStyle = 'rgb(' + v[0] + ',' + v[1] + ',' + v[2] + ')'; c.fillRect(0, 6 + i, 14, 1); }
                c.strokeStyle = '#000'; c.strokeRect(0.5, 6.5, 14, H); c.fillStyle = '#000'; c.font = '10px sans-serif';
                for (var k = 0; k <= 4; k++) { var y = 6 + Math.round((H - 1) * k / 4);
                  c.fillRect(14, y, 4, 1); c.fillText(fmt(hi - (hi - lo) * k / 4), 20, y + 4); }
                c.fillText(label, 0, canvas.height - 6);
              }
              function fmt(v) { return Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1); }
              function rc(p) { return '(' + Math.floor(p / g) + ', ' + (p % g) + ')'; }
              function render() {
                var ck = D.checkpoints[state.ckpt], ex = image(), q = state.query;
                paint(el('ex-grid'), null, 0, 1, ex);
                if (ck.cos) { var cos = row(ck.cos, q); paint(el('ex-pos'), cos, -1, 1, null); bar(el('ex-pos-bar'), -1, 1, 'cos');
                  el('ex-pos-cap').textContent = 'cos(p_' + rc(q) + ', p_j), ' + ck.name;
                } else { paint(el('ex-pos'), null, 0, 1, null); el('ex-pos-cap').textContent = 'no position embedding in ' + ck.name; }
                var a = attentionRow();
                if (a) { var hi = 0; for (var j = 0; j < N; j++) hi = Math.max(hi, a[j]);
                  paint(el('ex-att'), a, 0, hi, ex); bar(el('ex-att-bar'), 0, hi, 'attention');
                  el('ex-att-cap').textContent = 'layer ' + state.layer + ', ' + (state.head >= 0 ? 'head ' + state.head : 'mean of heads')
                    + ': attention from ' + rc(q) + (ex ? ' on test image ' + ex.index : ', mean over images') + '; max ' + fmt(hi);
                } else { paint(el('ex-att'), null, 0, 1, ex);
                  el('ex-att-cap').textContent = 'no attention maps of ' + ck.name + ' in this page (kept for the checkpoints'
                    + ' that fit its size budget; none when the report was redrawn from analysis.json)'; }
                el('ex-status').textContent = ck.name + ', query patch ' + rc(q);
                X.state = JSON.parse(JSON.stringify(state));
                X.renders++;
              }
              el('ex-ckpt').addEventListener('change', function (e) { state.ckpt = +e.target.value;
                if (state.image >= 0 && D.checkpoints[state.ckpt].name !== D.exampleCheckpoint) { state.image = -1; el('ex-image').value = -1; }
                render(); });
              el('ex-image').addEventListener('change', function (e) { state.image = +e.target.value;
                if (state.image >= 0) { D.checkpoints.forEach(function (c, i) { if (c.name === D.exampleCheckpoint) state.ckpt = i; });
                  el('ex-ckpt').value = state.ckpt; }
                render(); });
              el('ex-layer').addEventListener('change', function (e) { state.layer = +e.target.value; render(); });
              el('ex-head').addEventListener('change', function (e) { state.head = +e.target.value; render(); });
              el('ex-grid').addEventListener('click', function (e) {
                var r = e.target.getBoundingClientRect(), W = r.width;
                var c = Math.min(g - 1, Math.floor((e.clientX - r.left) * g / W)), rr = Math.min(g - 1, Math.floor((e.clientY - r.top) * g / r.height));
                state.query = rr * g + c; render(); });
              render();
            })();
            """;
}
