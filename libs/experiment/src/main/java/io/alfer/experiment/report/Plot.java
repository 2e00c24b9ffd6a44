package io.alfer.experiment.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.ui.VerticalAlignment;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A line chart drawn by JFreeChart: series of (x, mean, std) points, each a line with markers and a
 * translucent ±std band, on axes with round-numbered ticks, a grid, a title and a legend, as a PNG
 * of a fixed size. The same data give the same bytes (fonts, colours, strokes and tick labels are
 * all fixed here; numbers are written in the root locale whatever the default one).
 */
public final class Plot {
  /** Colours that stay apart for up to eleven series (Tableau's palette and two more). */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf),
    new Color(0x393b79)
  };

  static final int WIDTH = 960;
  static final int HEIGHT = 600;

  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Color GRID = new Color(0xe6e6e6);

  /** Tick steps of 1, 2 and 5 × 10^k, labelled with the decimals the step needs. */
  private static final TickUnits TICKS = ticks();

  /**
   * One series.
   *
   * @param name legend entry
   * @param x x values, ascending
   * @param mean y values
   * @param std ±band half-widths (0 for none)
   * @param dashed draw the line dashed
   */
  public record Series(String name, double[] x, double[] mean, double[] std, boolean dashed) {}

  /**
   * A horizontal reference line across the chart, e.g. the accuracy of always guessing the largest
   * class.
   *
   * @param name its label, written on the line
   * @param y its height
   */
  public record Baseline(String name, double y) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Color> colours = new ArrayList<>();
  private final List<Baseline> baselines = new ArrayList<>();
  private double[] yRange;

  public Plot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a series in the next palette colour. */
  public Plot add(Series s) {
    return add(s, PALETTE[series.size() % PALETTE.length]);
  }

  /** Adds a series in a given colour. */
  public Plot add(Series s, Color colour) {
    series.add(s);
    colours.add(colour);
    return this;
  }

  /** Draws a reference line (it also counts for the y range). */
  public Plot baseline(Baseline b) {
    baselines.add(b);
    return this;
  }

  /**
   * Fixes the y axis to at least [lo, hi] (it still widens to show every point), so that a small
   * difference is not stretched over the whole height.
   */
  public Plot yRange(double lo, double hi) {
    if (!(lo < hi)) {
      throw new IllegalArgumentException("an empty y range: " + lo + ".." + hi);
    }
    this.yRange = new double[] {lo, hi};
    return this;
  }

  /** The palette's i-th colour. */
  public static Color colour(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** The chart as PNG bytes. */
  public byte[] png() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(render(), "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The chart as an image. */
  public BufferedImage render() {
    return chart().createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, null);
  }

  /** The chart, to be drawn. */
  JFreeChart chart() {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    renderer.setAlpha(40f / 255f); // the bands: translucent, under every line
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      YIntervalSeries points = new YIntervalSeries(s.name(), false, true);
      for (int k = 0; k < s.x().length; k++) {
        double mean = s.mean()[k];
        double std = Double.isFinite(s.std()[k]) ? s.std()[k] : 0;
        points.add(s.x()[k], mean, mean - std, mean + std);
      }
      data.addSeries(points);
      renderer.setSeriesPaint(i, colours.get(i));
      renderer.setSeriesFillPaint(i, colours.get(i));
      renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
      renderer.setSeriesStroke(i, s.dashed() ? dashed(2f, 7f, 5f) : new BasicStroke(2f));
    }
    NumberAxis x = axis(xLabel);
    x.setAutoRangeIncludesZero(false);
    // JFreeChart picks the smallest step whose labels do not touch; room around each label keeps
    // the grid at about ten lines, as sparse as a reader needs
    x.setTickLabelInsets(new RectangleInsets(4, 16, 2, 16));
    NumberAxis y = axis(yLabel);
    y.setTickLabelInsets(new RectangleInsets(8, 4, 8, 4));
    XYPlot plot = new XYPlot(data, x, y, renderer);
    double[] bounds = yBounds();
    if (bounds != null) {
      y.setRange(bounds[0], bounds[1]);
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.BLACK);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    for (Baseline b : baselines) {
      ValueMarker line = new ValueMarker(b.y(), Color.GRAY, dashed(1.5f, 3f, 4f));
      line.setLabel(b.name());
      line.setLabelFont(FONT);
      line.setLabelPaint(Color.GRAY);
      line.setLabelBackgroundColor(new Color(0, 0, 0, 0));
      line.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      line.setLabelOffset(new RectangleInsets(0, 8, 5, 0));
      plot.addRangeMarker(line);
    }
    JFreeChart chart = new JFreeChart(null, FONT, plot, false);
    TextTitle heading = new TextTitle(title, FONT.deriveFont(Font.BOLD, 16f));
    heading.setHorizontalAlignment(HorizontalAlignment.LEFT);
    heading.setPadding(new RectangleInsets(0, 0, 12, 0));
    chart.setTitle(heading);
    LegendTitle legend = new LegendTitle(plot);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setVerticalAlignment(VerticalAlignment.TOP);
    legend.setItemFont(FONT);
    legend.setFrame(BlockBorder.NONE);
    legend.setBackgroundPaint(Color.WHITE);
    legend.setMargin(new RectangleInsets(0, 12, 0, 0));
    chart.addLegend(legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(20, 20, 20, 20));
    chart
        .getRenderingHints()
        .put(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    return chart;
  }

  /**
   * The y axis: every point's band, every baseline and the fixed range, or null (JFreeChart's own)
   * when there is nothing to show.
   */
  private double[] yBounds() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int k = 0; k < s.x().length; k++) {
        double std = Double.isFinite(s.std()[k]) ? s.std()[k] : 0;
        if (Double.isFinite(s.mean()[k])) {
          lo = Math.min(lo, s.mean()[k] - std);
          hi = Math.max(hi, s.mean()[k] + std);
        }
      }
    }
    for (Baseline b : baselines) {
      lo = Math.min(lo, b.y());
      hi = Math.max(hi, b.y());
    }
    if (yRange != null) {
      lo = Math.min(lo, yRange[0]);
      hi = Math.max(hi, yRange[1]);
    }
    if (lo > hi) {
      return null;
    }
    if (hi - lo < 1e-9) {
      double pad = Math.max(1, Math.abs(lo) * 0.05);
      return new double[] {lo - pad, hi + pad};
    }
    return new double[] {lo, hi};
  }

  private static NumberAxis axis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setLabelFont(FONT);
    axis.setTickLabelFont(FONT);
    axis.setStandardTickUnits(TICKS);
    return axis;
  }

  private static TickUnits ticks() {
    DecimalFormatSymbols root = DecimalFormatSymbols.getInstance(Locale.ROOT);
    TickUnits units = new TickUnits();
    for (int power = -6; power <= 9; power++) {
      DecimalFormat format = new DecimalFormat(power < 0 ? "0." + "0".repeat(-power) : "0", root);
      for (int factor : new int[] {1, 2, 5}) {
        units.add(new NumberTickUnit(factor * Math.pow(10, power), format));
      }
    }
    return units;
  }

  private static Stroke dashed(float width, float dash, float gap) {
    return new BasicStroke(
        width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {dash, gap}, 0f);
  }
}
