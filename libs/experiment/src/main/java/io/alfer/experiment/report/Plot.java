package io.alfer.experiment.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A line chart drawn with Java2D: series of (x, mean, std) points, each a line with markers and a
 * translucent ±std band, on axes with round-numbered ticks, a grid, a title and a legend.
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

  private static final int WIDTH = 960;
  private static final int HEIGHT = 600;
  private static final int LEFT = 80;
  private static final int RIGHT = 220;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;

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

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Color> colours = new ArrayList<>();
  private final List<Baseline> baselines = new ArrayList<>();
  private double[] yRange;

  /**
   * A horizontal reference line across the chart, e.g. the accuracy of always guessing the largest
   * class.
   *
   * @param name its label, written on the line
   * @param y its height
   */
  public record Baseline(String name, double y) {}

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
    BufferedImage image = render();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The chart as an image. */
  public BufferedImage render() {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      draw(g);
    } finally {
      g.dispose();
    }
    return image;
  }

  private void draw(Graphics2D g) {
    double[] xr = range(true);
    double[] yr = range(false);
    double[] xt = ticks(xr[0], xr[1], 8);
    double[] yt = ticks(yr[0], yr[1], 8);
    double x0 = xt[0];
    double x1 = xt[xt.length - 1];
    double y0 = yt[0];
    double y1 = yt[yt.length - 1];
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    // the legend's column is as wide as its longest name (at most half the image)
    int legend = series.stream().mapToInt(s -> fm.stringWidth(s.name())).max().orElse(0);
    int right = Math.min(WIDTH / 2, Math.max(RIGHT, 16 + 34 + legend + 12));
    int plotW = WIDTH - LEFT - right;
    int plotH = HEIGHT - TOP - BOTTOM;
    Mapper m = new Mapper(x0, x1, y0, y1, plotW, plotH);
    // grid and ticks
    g.setStroke(new BasicStroke(1f));
    for (double t : yt) {
      int y = m.y(t);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      String label = format(t, step(yt));
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
    }
    for (double t : xt) {
      int x = m.x(t);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(x, TOP, x, TOP + plotH);
      g.setColor(Color.DARK_GRAY);
      String label = format(t, step(xt));
      g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotH + fm.getAscent() + 6);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    // labels and title
    g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 22);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(yLabel, -(TOP + plotH / 2) - fm.stringWidth(yLabel) / 2, 24);
    rotated.dispose();
    Font titleFont = font.deriveFont(Font.BOLD, 16f);
    g.setFont(titleFont);
    g.drawString(title, LEFT, TOP - 24);
    g.setFont(font);

    // bands first, then lines, so lines stay visible
    Graphics2D clip = (Graphics2D) g.create();
    clip.clipRect(LEFT, TOP, plotW + 1, plotH + 1);
    for (Baseline b : baselines) {
      int y = m.y(b.y());
      clip.setColor(Color.GRAY);
      clip.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {3f, 4f}, 0f));
      clip.drawLine(LEFT, y, LEFT + plotW, y);
      clip.drawString(b.name(), LEFT + 8, y - 5);
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      Color c = colours.get(i);
      if (s.x().length > 1 && hasBand(s)) {
        Path2D band = new Path2D.Double();
        for (int k = 0; k < s.x().length; k++) {
          double px = m.xd(s.x()[k]);
          double py = m.yd(s.mean()[k] + s.std()[k]);
          if (k == 0) {
            band.moveTo(px, py);
          } else {
            band.lineTo(px, py);
          }
        }
        for (int k = s.x().length - 1; k >= 0; k--) {
          band.lineTo(m.xd(s.x()[k]), m.yd(s.mean()[k] - s.std()[k]));
        }
        band.closePath();
        clip.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 40));
        clip.fill(band);
      }
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      Color c = colours.get(i);
      clip.setColor(c);
      clip.setStroke(
          s.dashed()
              ? new BasicStroke(
                  2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f)
              : new BasicStroke(2f));
      Path2D line = new Path2D.Double();
      for (int k = 0; k < s.x().length; k++) {
        double px = m.xd(s.x()[k]);
        double py = m.yd(s.mean()[k]);
        if (k == 0) {
          line.moveTo(px, py);
        } else {
          line.lineTo(px, py);
        }
      }
      clip.draw(line);
      for (int k = 0; k < s.x().length; k++) {
        int px = m.x(s.x()[k]);
        int py = m.y(s.mean()[k]);
        clip.fillOval(px - 3, py - 3, 7, 7);
      }
    }
    clip.dispose();
    // legend
    int lx = LEFT + plotW + 16;
    int ly = TOP + 6;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      g.setColor(colours.get(i));
      g.setStroke(
          s.dashed()
              ? new BasicStroke(
                  2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f)
              : new BasicStroke(2f));
      int y = ly + i * 22;
      g.drawLine(lx, y, lx + 26, y);
      g.fillOval(lx + 10, y - 3, 7, 7);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), lx + 34, y + fm.getAscent() / 2 - 1);
    }
  }

  private static boolean hasBand(Series s) {
    for (double v : s.std()) {
      if (v > 0) {
        return true;
      }
    }
    return false;
  }

  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int k = 0; k < s.x().length; k++) {
        double a = x ? s.x()[k] : s.mean()[k] - s.std()[k];
        double b = x ? s.x()[k] : s.mean()[k] + s.std()[k];
        if (Double.isFinite(a)) {
          lo = Math.min(lo, a);
        }
        if (Double.isFinite(b)) {
          hi = Math.max(hi, b);
        }
      }
    }
    if (!x) {
      for (Baseline b : baselines) {
        lo = Math.min(lo, b.y());
        hi = Math.max(hi, b.y());
      }
      if (yRange != null) {
        lo = Math.min(lo, yRange[0]);
        hi = Math.max(hi, yRange[1]);
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    if (hi - lo < 1e-9) {
      double pad = Math.max(1, Math.abs(lo) * 0.05);
      return new double[] {lo - pad, hi + pad};
    }
    return new double[] {lo, hi};
  }

  /** Tick values at 1, 2 or 5 × 10^k steps covering [lo, hi] with about {@code target} ticks. */
  static double[] ticks(double lo, double hi, int target) {
    double raw = (hi - lo) / Math.max(1, target - 1);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double f : new double[] {1, 2, 5, 10}) {
      step = f * magnitude;
      if (step >= raw) {
        break;
      }
    }
    double first = Math.floor(lo / step) * step;
    double last = Math.ceil(hi / step) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = first + i * step;
    }
    return out;
  }

  private static double step(double[] ticks) {
    return ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  }

  /** A tick label with as many decimals as the tick step needs (0.02 steps: two). */
  static String format(double v, double step) {
    int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
    if (decimals == 0) {
      return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private record Mapper(double x0, double x1, double y0, double y1, int w, int h) {
    double xd(double v) {
      return LEFT + (v - x0) / (x1 - x0) * w;
    }

    double yd(double v) {
      return TOP + h - (v - y0) / (y1 - y0) * h;
    }

    int x(double v) {
      return (int) Math.round(xd(v));
    }

    int y(double v) {
      return (int) Math.round(yd(v));
    }
  }
}
