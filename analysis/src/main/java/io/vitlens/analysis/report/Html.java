package io.vitlens.analysis.report;

import io.vitlens.analysis.ClaimVerdict;
import io.vitlens.analysis.claims.Fmt;

/** Small helpers for the self-contained HTML pages: escaping, the shared stylesheet, common fragments. */
final class Html {

    private Html() { }

    static final String STYLE = """
            body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:0 auto;
                 max-width:1500px;padding:0 24px 48px;color:#1b1b1b;line-height:1.45;background:#fff}
            h1{margin:24px 0 4px;font-size:26px} h2{margin-top:36px;border-bottom:2px solid #e3e3e3;padding-bottom:4px}
            h3{margin:20px 0 6px} .meta{color:#555;margin:0 0 8px} nav a{margin-right:14px}
            table{border-collapse:collapse;margin:10px 0;font-size:13px} th,td{border:1px solid #ddd;padding:4px 8px;
                 vertical-align:top;text-align:left} th{background:#f4f4f4} td.num{text-align:right;
                 font-variant-numeric:tabular-nums;white-space:nowrap} tr:nth-child(even) td{background:#fbfbfb}
            .verdict{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;white-space:nowrap}
            .holds{background:#d9f2e3;color:#0b6b34} .fails{background:#fde2dd;color:#9c2a12}
            .nm{background:#ececec;color:#555} .reason{color:#333;max-width:720px}
            .row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
            figure{margin:8px 0} figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{font-size:12px;color:#555;max-width:720px}
            .cols{display:grid;gap:14px;align-items:start} .cols img{max-width:100%}
            details{margin:8px 0} summary{cursor:pointer;font-weight:600}
            code{background:#f4f4f4;padding:0 3px;border-radius:3px}
            .explore-controls label{margin-right:16px} .explore canvas{image-rendering:pixelated;vertical-align:top}
            #ex-grid{cursor:crosshair;border:1px solid #ccc}
            """;

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray())
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        return b.toString();
    }

    static String num(Double v) { return esc(Fmt.num(v)); }

    static String num(double v) { return esc(Fmt.num(v)); }

    static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                + "content=\"width=device-width, initial-scale=1\">\n<title>" + esc(title) + "</title>\n<style>\n"
                + STYLE + "</style>\n</head>\n<body>\n";
    }

    static String tail() { return "</body>\n</html>\n"; }

    static String verdict(Object holds) {
        if (Boolean.TRUE.equals(holds)) return "<span class=\"verdict holds\">holds</span>";
        if (Boolean.FALSE.equals(holds)) return "<span class=\"verdict fails\">does not hold</span>";
        return "<span class=\"verdict nm\">" + esc(String.valueOf(holds == null ? ClaimVerdict.NOT_MEASURED : holds))
                + "</span>";
    }

    /** A figure with caption; empty string for a missing path. */
    static String figure(String path, String alt, String caption) {
        if (path == null) return "";
        return "<figure><img src=\"" + esc(path) + "\" alt=\"" + esc(alt) + "\" loading=\"lazy\">"
                + (caption == null ? "" : "<figcaption>" + caption + "</figcaption>") + "</figure>\n";
    }

    static String claimsTable(Iterable<ClaimVerdict> claims, String baselineHeader) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>claim</th><th>what it says</th><th>value</th>"
                + "<th>" + esc(baselineHeader) + "</th><th>verdict</th><th>rule and numbers</th></tr>\n");
        for (ClaimVerdict c : claims)
            b.append("<tr><td><b>").append(esc(c.id())).append("</b></td><td>").append(esc(c.title()))
                    .append("<br><small>").append(esc(c.metric())).append("</small></td><td class=\"num\">")
                    .append(num(c.value())).append("</td><td class=\"num\">").append(num(c.baseline()))
                    .append("</td><td>").append(verdict(c.holds())).append("</td><td class=\"reason\">")
                    .append(esc(c.reason())).append("</td></tr>\n");
        return b.append("</table>\n").toString();
    }
}
