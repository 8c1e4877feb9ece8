package io.vitlens.analysis.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Line and scatter charts drawn with XChart, in one house style, encoded to PNG bytes. */
final class Charts {

    /** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
    static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xD55E00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
            new Color(0x999999),
    };

    /** One plotted series; points with a non-finite coordinate are dropped. */
    record Series(String name, double[] x, double[] y, Color color, boolean line, boolean markers) { }

    private Charts() { }

    static XYChart chart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleBoxBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        c.getStyler().setPlotGridLinesColor(new Color(0xE5E5E5));
        return c;
    }

    /** Adds the series (skipping empty ones) and returns PNG bytes; a chart with no data says so in its title. */
    static byte[] png(XYChart chart, List<Series> series) throws IOException {
        int added = 0;
        for (Series s : series) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            boolean log = chart.getStyler().isYAxisLogarithmic();
            for (int i = 0; i < s.x().length; i++)
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) && (!log || s.y()[i] > 0)) {
                    x.add(s.x()[i]);
                    y.add(s.y()[i]);
                }
            if (x.isEmpty()) continue;
            XYSeries xy = chart.addSeries(s.name(), x, y);
            xy.setXYSeriesRenderStyle(s.line() ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
            xy.setMarker(s.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            if (!s.line()) xy.setLineStyle(SeriesLines.NONE);
            if (s.color() != null) {
                xy.setMarkerColor(s.color());
                xy.setLineColor(s.color());
            }
            added++;
        }
        if (added == 0) {
            chart.setTitle(chart.getTitle() + " (no data)");
            chart.addSeries("no data", new double[]{0}, new double[]{0}).setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Legend entry pitch at the house font: 10 pt text, the legend's padding, and a little slack. */
    static final int LEGEND_ENTRY_PX = 18;

    /** At least {@code minimum}, tall enough that a legend of {@code entries} lines (outside, east) is not cut off. */
    static int heightForLegend(int minimum, int entries) {
        return Math.max(minimum, 90 + entries * LEGEND_ENTRY_PX);
    }

    static Color palette(int i) { return PALETTE[Math.floorMod(i, PALETTE.length)]; }
}
