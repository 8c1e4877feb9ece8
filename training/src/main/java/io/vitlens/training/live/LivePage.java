package io.vitlens.training.live;

/**
 * The live page: fetches {@code status.json} every 2 s and redraws loss, accuracy, learning rate
 * and C1's rho per checkpoint on canvases. No external script or stylesheet, so it works with no
 * network at all.
 */
final class LivePage {

    private LivePage() { }

    static final String HTML = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>vit-lens: training live</title>
            <style>body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:0 auto;max-width:1200px;padding:0 24px 40px;color:#1b1b1b}
            .row{display:flex;flex-wrap:wrap;gap:18px} figure{margin:4px 0} canvas{border:1px solid #ddd} table{border-collapse:collapse;font-size:13px}
            td,th{border:1px solid #ddd;padding:3px 8px;text-align:right} .meta{color:#555}</style></head>
            <body><h1>Training live</h1><p id="status" class="meta">waiting for the trainer ...</p>
            <div class="row">
            <figure><canvas id="loss" width="360" height="220"></canvas><figcaption>loss per epoch: train (blue), test (orange)</figcaption></figure>
            <figure><canvas id="acc" width="360" height="220"></canvas><figcaption>test accuracy per epoch</figcaption></figure>
            <figure><canvas id="lr" width="360" height="220"></canvas><figcaption>learning rate (last step of each epoch)</figcaption></figure>
            <figure><canvas id="rho" width="360" height="220"></canvas><figcaption>C1: rho of position-embedding similarity vs grid distance, per checkpoint (holds at &lt;= -0.3, p &lt; 0.01)</figcaption></figure>
            </div>
            <h2>Per epoch</h2><table id="table"></table>
            <script>
            'use strict';
            function chart(id, series, lo, hi) { // series: [{x: [], y: [], color}]
              var c = document.getElementById(id), g = c.getContext('2d'), W = c.width, H = c.height, L = 48, B = 22;
              g.clearRect(0, 0, W, H);
              var xs = [], ys = [];
              series.forEach(function (s) { s.x.forEach(function (v, i) { if (s.y[i] != null) { xs.push(v); ys.push(s.y[i]); } }); });
              if (!xs.length) { g.fillText('no data yet', L, H / 2); return; }
              var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
              var y0 = lo != null ? lo : Math.min.apply(null, ys), y1 = hi != null ? hi : Math.max.apply(null, ys);
              if (x1 === x0) x1 = x0 + 1; if (y1 === y0) { y1 = y0 + Math.abs(y0 || 1) * 0.1; y0 -= Math.abs(y0 || 1) * 0.1; }
              var px = function (v) { return L + (v - x0) / (x1 - x0) * (W - L - 10); };
              var py = function (v) { return H - B - (v - y0) / (y1 - y0) * (H - B - 10); };
              g.strokeStyle = '#999'; g.strokeRect(L, 10, W - L - 10, H - B - 10); g.fillStyle = '#333'; g.font = '10px sans-serif';
              for (var k = 0; k <= 4; k++) { var v = y0 + (y1 - y0) * k / 4; g.fillText(v.toPrecision(3), 2, py(v) + 3); }
              g.fillText('epoch ' + x0, L, H - 6); g.fillText(String(x1), W - 24, H - 6);
              series.forEach(function (s) { g.strokeStyle = s.color; g.fillStyle = s.color; g.beginPath(); var on = false;
                s.x.forEach(function (v, i) { if (s.y[i] == null) return; if (on) g.lineTo(px(v), py(s.y[i])); else g.moveTo(px(v), py(s.y[i])); on = true; });
                g.stroke(); s.x.forEach(function (v, i) { if (s.y[i] != null) g.fillRect(px(v) - 2, py(s.y[i]) - 2, 4, 4); }); });
            }
            function col(rows, k) { return rows.map(function (r) { return r[k]; }); }
            function draw(s) {
              var h = s.history, e = col(h, 'epoch');
              document.getElementById('status').textContent = s.run + ': ' + s.state + ', epoch ' + s.epoch + '/' + s.epochs + ', '
                + s.imagesDone + '/' + s.imagesTotal + ' images' + (s.loss != null ? ', loss ' + s.loss.toFixed(3) : '')
                + (s.positionRhoNote ? '; ' + s.positionRhoNote : '');
              chart('loss', [{x: e, y: col(h, 'trainLoss'), color: '#0072B2'}, {x: e, y: col(h, 'testLoss'), color: '#E69F00'}]);
              chart('acc', [{x: e, y: col(h, 'testAccuracy'), color: '#009E73'}], 0, 1);
              chart('lr', [{x: e, y: col(h, 'lr'), color: '#CC79A7'}]);
              chart('rho', [{x: col(s.positionRho, 'epoch'), y: col(s.positionRho, 'rho'), color: '#D55E00'}], -1, 1);
              var rho = {}; s.positionRho.forEach(function (r) { rho[r.epoch] = r; });
              var t = '<tr><th>epoch</th><th>train loss</th><th>test loss</th><th>test acc</th><th>lr</th><th>img/s</th><th>C1 rho (p)</th></tr>';
              h.forEach(function (r) { var c = rho[r.epoch];
                t += '<tr><td>' + r.epoch + '</td><td>' + r.trainLoss.toFixed(4) + '</td><td>' + r.testLoss.toFixed(4) + '</td><td>'
                  + (100 * r.testAccuracy).toFixed(2) + '%</td><td>' + r.lr.toExponential(2) + '</td><td>' + r.imagesPerSecond.toFixed(1)
                  + '</td><td>' + (c && c.rho != null ? c.rho.toFixed(3) + ' (' + c.pValue.toFixed(3) + ')' : '') + '</td></tr>'; });
              document.getElementById('table').innerHTML = t;
            }
            function poll() {
              fetch('status.json', {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (s) {
                draw(s); if (s.state === 'training' || s.state === 'starting') setTimeout(poll, 2000); })
                .catch(function () { document.getElementById('status').textContent += ' (trainer gone)'; });
            }
            poll();
            </script></body></html>
            """;
}
