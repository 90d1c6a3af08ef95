package org.trajlake.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.w3c.dom.Document;

/**
 * The report's two charts, drawn by JFreeChart onto Batik's SVG {@code Graphics2D}: latencies
 * (percentile bars per latency figure, and the cumulative distribution of every figure whose samples
 * the benchmark kept) and throughputs (each rate beside its target). Both value axes are logarithmic:
 * one chart holds 10 ms recall queries and 20 s cold lags, 100/s indexing and 600,000/s consuming.
 */
final class BenchCharts {
  static final String TARGET_SERIES = "target";
  static final String MEASURED_SERIES = "measured";
  private static final Pattern SUFFIX = Pattern.compile("^(.*?)(?:,? (p50|p95|p99|mean|max))$");
  private static final int WIDTH = 1100;
  /** One color per statistic in every chart; the target always gray. */
  /** Distinct on white (the "tab10" palette), for the distribution lines. */
  private static final List<Color> LINE_COLORS = List.of(new Color(31, 119, 180), new Color(255, 127, 14),
      new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
      new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207));
  private static final Map<String, Color> SERIES_COLORS = Map.of(
      "p50", new Color(66, 133, 244), "p95", new Color(251, 140, 0), "p99", new Color(219, 68, 55),
      "mean", new Color(15, 157, 88), "max", new Color(142, 36, 170), "value", new Color(121, 85, 72),
      MEASURED_SERIES, new Color(66, 133, 244), TARGET_SERIES, new Color(158, 158, 158));
  /** Points per cumulative-distribution line: enough for its shape, few enough for a small file. */
  private static final int CDF_POINTS = 200;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private BenchCharts() {}

  /** Latency figures (unit ms) as bars per statistic, with their targets; below, the distributions. */
  static String latencies(List<BenchRun> runs) {
    DefaultCategoryDataset bars = new DefaultCategoryDataset();
    for (BenchRun run : runs) {
      for (BenchFigure figure : run.figures()) {
        if ("ms".equals(figure.unit()) && figure.value() > 0) {
          Matcher m = SUFFIX.matcher(figure.stage());
          String statistic = m.matches() ? m.group(2) : "value";
          String figureName = m.matches() ? m.group(1) : figure.stage();
          bars.addValue(figure.value(), statistic, run.benchmark() + ": " + figureName);
        }
      }
      for (BenchTargets.Verdict verdict : run.verdicts()) {
        if ("ms".equals(verdict.target().unit())) {
          Matcher m = SUFFIX.matcher(verdict.target().stage());
          String figureName = m.matches() ? m.group(1) : verdict.target().stage();
          bars.addValue(verdict.target().threshold(), TARGET_SERIES, run.benchmark() + ": " + figureName);
        }
      }
    }
    JFreeChart percentiles = barChart("Latency figures (ms, log scale)", bars, "ms");
    List<JFreeChart> charts = new ArrayList<>(List.of(percentiles));
    int height = barHeight(bars);
    List<Integer> heights = new ArrayList<>(List.of(height));
    distributions(runs).ifPresent(chart -> {
      charts.add(chart);
      heights.add(460);
    });
    return svg(charts, heights);
  }

  /** Every rate (unit ending in /s) beside its target where it has one. */
  static String throughput(List<BenchRun> runs) {
    DefaultCategoryDataset bars = new DefaultCategoryDataset();
    for (BenchRun run : runs) {
      List<BenchTargets.Verdict> verdicts = run.verdicts();
      for (BenchFigure figure : run.figures()) {
        if (figure.unit().endsWith("/s") && figure.value() > 0) {
          String category = run.benchmark() + ": " + figure.stage() + " (" + figure.unit() + ")";
          bars.addValue(figure.value(), MEASURED_SERIES, category);
          verdicts.stream().filter(v -> v.target().stage().equals(figure.stage())).findFirst()
              .ifPresent(v -> bars.addValue(v.target().threshold(), TARGET_SERIES, category));
        }
      }
    }
    return svg(List.of(barChart("Throughput (per second, log scale)", bars, "per second")), List.of(barHeight(bars)));
  }

  private static Optional<JFreeChart> distributions(List<BenchRun> runs) {
    XYSeriesCollection lines = new XYSeriesCollection();
    for (BenchRun run : runs) {
      for (LatencySamples samples : run.samples()) {
        if (samples.count() == 0) {
          continue;
        }
        XYSeries series = new XYSeries(run.benchmark() + ": " + samples.name() + " (" + samples.count() + ")", false, true);
        double[] millis = samples.millis();
        int step = Math.max(1, millis.length / CDF_POINTS);
        for (int i = 0; i < millis.length; i += step) {
          series.add(Math.max(millis[i], 0.01), (i + 1) / (double) millis.length);
        }
        series.add(Math.max(millis[millis.length - 1], 0.01), 1.0);
        lines.addSeries(series);
      }
    }
    if (lines.getSeriesCount() == 0) {
      return Optional.empty();
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Latency distributions: fraction at or below (ms, log scale)",
        "ms", "fraction", lines, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setDomainAxis(logAxis("ms"));
    NumberAxis fraction = (NumberAxis) plot.getRangeAxis();
    fraction.setRange(0, 1.0);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < lines.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesPaint(i, LINE_COLORS.get(i % LINE_COLORS.size()));
    }
    plot.setRenderer(renderer);
    style(chart);
    return Optional.of(chart);
  }

  private static JFreeChart barChart(String title, DefaultCategoryDataset bars, String unit) {
    JFreeChart chart = ChartFactory.createBarChart(title, null, unit, bars, PlotOrientation.HORIZONTAL, true, false,
        false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setRangeAxis(logAxis(unit));
    CategoryAxis categories = plot.getDomainAxis();
    categories.setMaximumCategoryLabelWidthRatio(0.45f);
    categories.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    // A log axis has no zero: bars start at the axis' lower end, which then fits the data.
    renderer.setIncludeBaseInRange(false);
    renderer.setItemMargin(0.02);
    for (int row = 0; row < bars.getRowCount(); row++) {
      Color color = SERIES_COLORS.get(bars.getRowKey(row).toString());
      if (color != null) {
        renderer.setSeriesPaint(row, color);
      }
    }
    style(chart);
    return chart;
  }

  /** Ticks labelled 1, 10, 100, 1,000 rather than powers. */
  private static LogarithmicAxis logAxis(String label) {
    LogarithmicAxis axis = new LogarithmicAxis(label);
    axis.setStrictValuesFlag(false);
    axis.setAutoRangeNextLogFlag(true);
    // LogarithmicAxis labels its ticks with the tick unit's format: grouped thousands, no exponents.
    axis.setTickUnit(new NumberTickUnit(1, new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT))),
        false, false);
    axis.setAutoTickUnitSelection(false);
    return axis;
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(6, 6, 6, 30)); // room for the last tick label of the value axis
    chart.getPlot().setBackgroundPaint(new Color(248, 248, 248));
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
  }

  private static int barHeight(DefaultCategoryDataset bars) {
    return Math.max(240, 110 + bars.getColumnCount() * (10 + 9 * Math.max(1, bars.getRowCount())));
  }

  /** The charts stacked in one SVG document. */
  private static String svg(List<JFreeChart> charts, List<Integer> heights) {
    Document document;
    try {
      document = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation()
          .createDocument("http://www.w3.org/2000/svg", "svg", null);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
    SVGGraphics2D graphics = new SVGGraphics2D(document);
    int total = heights.stream().mapToInt(Integer::intValue).sum();
    graphics.setSVGCanvasSize(new Dimension(WIDTH, total));
    int top = 0;
    for (int i = 0; i < charts.size(); i++) {
      charts.get(i).draw(graphics, new Rectangle2D.Double(0, top, WIDTH, heights.get(i)));
      top += heights.get(i);
    }
    StringWriter svg = new StringWriter();
    try {
      graphics.stream(svg, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return svg.toString();
  }
}
