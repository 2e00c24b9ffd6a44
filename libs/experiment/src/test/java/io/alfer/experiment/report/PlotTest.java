package io.alfer.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

class PlotTest {
  private static final Color BLUE = new Color(0x1f77b4);

  /** The report's kind of chart: two modes with bands, a dashed one, and the majority line. */
  private static Plot accuracyChart() {
    return ReportWriter.accuracyPlot("entropy: with and without pre-training", 0.25)
        .add(
            new Plot.Series(
                "from scratch",
                new double[] {20, 30, 40, 50},
                new double[] {28.5, 61.25, 86, 90.5},
                new double[] {2.5, 4, 1.5, 1},
                true),
            BLUE)
        .add(
            new Plot.Series(
                "pre-trained",
                new double[] {20, 30, 40, 50},
                new double[] {46, 81, 91, 93.5},
                new double[] {3, 2, 1, 0.5},
                false),
            new Color(0xff7f0e));
  }

  @Test
  void theSameDataGiveTheSameBytesWhateverTheDefaultLocale() {
    byte[] first = accuracyChart().png();
    assertThat(accuracyChart().png()).isEqualTo(first);
    Locale previous = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // a decimal comma and a grouping dot
      assertThat(accuracyChart().png()).isEqualTo(first);
    } finally {
      Locale.setDefault(previous);
    }
  }

  @Test
  void aFixedSizePngWithTheSeriesLinesAndTheirTranslucentBands() throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(accuracyChart().png()));
    assertThat(image.getWidth()).isEqualTo(960);
    assertThat(image.getHeight()).isEqualTo(600);
    // the band: the series colour at alpha 40 over white
    Color band =
        new Color(
            255 - (255 - BLUE.getRed()) * 40 / 255,
            255 - (255 - BLUE.getGreen()) * 40 / 255,
            255 - (255 - BLUE.getBlue()) * 40 / 255);
    assertThat(pixelsNear(image, BLUE, 0)).as("line and markers").isGreaterThan(200);
    assertThat(pixelsNear(image, band, 2)).as("band").isGreaterThan(2000);
  }

  @Test
  void theLegendNamesEverySeriesInOrderBesideThePlot() {
    JFreeChart chart = accuracyChart().chart();
    LegendItemCollection items = chart.getPlot().getLegendItems();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < items.getItemCount(); i++) {
      names.add(items.get(i).getLabel());
    }
    assertThat(names).containsExactly("from scratch", "pre-trained");
    assertThat(chart.getLegend().getPosition()).isEqualTo(RectangleEdge.RIGHT);
  }

  @Test
  void theYAxisCoversTheFixedRangeTheBandsAndTheBaselines() {
    Plot plot =
        new Plot("t", "x", "y")
            .yRange(0, 100)
            .baseline(new Plot.Baseline("below", -3))
            .add(
                new Plot.Series(
                    "s", new double[] {1, 2}, new double[] {50, 99}, new double[] {0, 5}, false));
    NumberAxis y = (NumberAxis) ((XYPlot) plot.chart().getPlot()).getRangeAxis();
    assertThat(y.getLowerBound()).isEqualTo(-3);
    assertThat(y.getUpperBound()).isEqualTo(104);
  }

  @Test
  void tickLabelsCarryTheDecimalsTheirStepNeedsInTheRootLocale() {
    // accuracies between 0.18 and 0.25: every label must differ
    Plot fractions =
        new Plot("t", "labelled images", "accuracy")
            .add(
                new Plot.Series(
                    "s",
                    new double[] {2000, 6000, 10000},
                    new double[] {0.184, 0.21, 0.249},
                    new double[3],
                    false));
    Locale previous = Locale.getDefault();
    JFreeChart chart = fractions.chart();
    try {
      Locale.setDefault(Locale.GERMANY);
      chart.createBufferedImage(Plot.WIDTH, Plot.HEIGHT); // chooses the tick units
    } finally {
      Locale.setDefault(previous);
    }
    XYPlot plot = (XYPlot) chart.getPlot();
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    NumberTickUnit step = y.getTickUnit();
    int decimals = (int) Math.ceil(-Math.log10(step.getSize()) - 1e-9);
    List<String> labels =
        IntStream.rangeClosed(
                (int) Math.ceil(y.getLowerBound() / step.getSize()),
                (int) Math.floor(y.getUpperBound() / step.getSize()))
            .mapToObj(k -> step.valueToString(k * step.getSize()))
            .toList();
    assertThat(labels).hasSizeGreaterThan(3).doesNotHaveDuplicates();
    assertThat(labels).allMatch(l -> l.matches("0\\.\\d{" + decimals + "}"), "0.dd");
    NumberTickUnit xStep = ((NumberAxis) plot.getDomainAxis()).getTickUnit();
    assertThat(xStep.valueToString(10000)).isEqualTo("10000");
  }

  private static int pixelsNear(BufferedImage image, Color colour, int tolerance) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        Color c = new Color(image.getRGB(x, y));
        if (Math.abs(c.getRed() - colour.getRed()) <= tolerance
            && Math.abs(c.getGreen() - colour.getGreen()) <= tolerance
            && Math.abs(c.getBlue() - colour.getBlue()) <= tolerance) {
          n++;
        }
      }
    }
    return n;
  }
}
