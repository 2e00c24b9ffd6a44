package io.alfer.datasets.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.layout.DatasetEntry;
import io.alfer.datasets.layout.DatasetItem;
import io.alfer.datasets.layout.Fer2013CsvReader;
import io.alfer.datasets.layout.ImageData;
import io.alfer.proto.v1.Split;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticFerTest {

  private static final int COUNT = 3000;
  private static List<Sample> samples;

  @BeforeAll
  static void generate() {
    samples = new ArrayList<>();
    new SyntheticFer(42).samples(COUNT).forEachRemaining(samples::add);
  }

  @Test
  void theSameSeedGivesTheSameBytes() throws IOException {
    byte[] first = csv(7, 40);
    assertThat(csv(7, 40)).isEqualTo(first);
    assertThat(csv(8, 40)).isNotEqualTo(first);
    assertThat(new SyntheticFer(42).sample(123).pixels()).isEqualTo(samples.get(123).pixels());
  }

  @Test
  void followsFer2013ClassShares() {
    int[] counts = new int[7];
    samples.forEach(s -> counts[s.label()]++);
    for (int label = 0; label < 7; label++) {
      double tolerance = label == ClassTaxonomy.DISGUST ? 0.01 : 0.025;
      assertThat(counts[label] / (double) COUNT)
          .as(ClassTaxonomy.FER7.name(label))
          .isCloseTo(SyntheticFer.share(label), within(tolerance));
    }
    assertThat(counts[ClassTaxonomy.DISGUST]).isPositive();
  }

  @Test
  void splitsUsageEightyTenTen() {
    long training = samples.stream().filter(s -> s.usage().equals(SyntheticFer.TRAINING)).count();
    long publicTest =
        samples.stream().filter(s -> s.usage().equals(SyntheticFer.PUBLIC_TEST)).count();
    assertThat(training / (double) COUNT).isCloseTo(0.8, within(0.03));
    assertThat(publicTest / (double) COUNT).isCloseTo(0.1, within(0.025));
    assertThat(samples)
        .allMatch(s -> (s.split() == Split.SPLIT_POOL) == s.usage().equals("Training"));
  }

  @Test
  void writesACsvTheFer2013ReaderReadsBack() throws IOException {
    byte[] csv = csv(42, 25);
    List<DatasetItem> items = new ArrayList<>();
    try (Fer2013CsvReader reader =
        new Fer2013CsvReader(new ByteArrayInputStream(csv), "synthetic.csv", Split.SPLIT_POOL)) {
      reader.forEachRemaining(items::add);
    }
    assertThat(items).hasSize(25).allMatch(DatasetEntry.class::isInstance);
    for (int i = 0; i < 25; i++) {
      DatasetEntry entry = (DatasetEntry) items.get(i);
      assertThat(entry.label()).isEqualTo(samples.get(i).label());
      assertThat(entry.split()).isEqualTo(samples.get(i).split());
      assertThat(((ImageData.GrayPixels) entry.image()).pixels())
          .isEqualTo(samples.get(i).pixels());
    }
  }

  @Test
  void isNotSolvedByANearestCentroidOnRawPixels() {
    int train = 2400;
    double[][] centroids = new double[7][SyntheticFer.SIZE * SyntheticFer.SIZE];
    int[] counts = new int[7];
    for (Sample s : samples.subList(0, train)) {
      counts[s.label()]++;
      for (int p = 0; p < s.pixels().length; p++) {
        centroids[s.label()][p] += s.pixels()[p] & 0xff;
      }
    }
    int correct = 0;
    for (Sample s : samples.subList(train, COUNT)) {
      int best = -1;
      double bestDistance = Double.MAX_VALUE;
      for (int label = 0; label < 7; label++) {
        double distance = 0;
        for (int p = 0; p < s.pixels().length; p++) {
          double d = (s.pixels()[p] & 0xff) - centroids[label][p] / Math.max(1, counts[label]);
          distance += d * d;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = label;
        }
      }
      correct += best == s.label() ? 1 : 0;
    }
    assertThat(correct / (double) (COUNT - train)).isLessThan(0.6);
  }

  @Test
  void showsExpressionsInTheFace() {
    // Open mouths (surprise, fear) darken the mouth area against the cheeks; closed ones do not.
    assertThat(mouthContrast(ClassTaxonomy.SURPRISE))
        .isLessThan(mouthContrast(ClassTaxonomy.NEUTRAL) - 10);
    assertThat(mouthContrast(ClassTaxonomy.FEAR))
        .isLessThan(mouthContrast(ClassTaxonomy.HAPPY) - 10);
    assertThat(samples)
        .allSatisfy(s -> assertThat(s.pixels()).hasSize(SyntheticFer.SIZE * SyntheticFer.SIZE));
  }

  @Test
  void rendersAPreviewGrid() {
    BufferedImage grid = PreviewGrid.render(new SyntheticFer(1), 3, 2);
    assertThat(grid.getWidth()).isEqualTo(3 * (48 * 2 + 2));
    assertThat(grid.getHeight()).isEqualTo(7 * (48 * 2 + 2));
  }

  /** Mean of (mouth window − upper face window) over the samples of a class. */
  private static double mouthContrast(int label) {
    double sum = 0;
    int n = 0;
    for (Sample s : samples) {
      if (s.label() == label) {
        sum += mean(s.pixels(), 31, 40, 19, 29) - mean(s.pixels(), 16, 30, 14, 34);
        n++;
      }
    }
    return sum / n;
  }

  private static double mean(byte[] pixels, int top, int bottom, int left, int right) {
    double sum = 0;
    for (int y = top; y < bottom; y++) {
      for (int x = left; x < right; x++) {
        sum += pixels[y * SyntheticFer.SIZE + x] & 0xff;
      }
    }
    return sum / ((bottom - top) * (right - left));
  }

  private static byte[] csv(long seed, int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SyntheticFer(seed).writeFer2013Csv(out, count);
    return out.toByteArray();
  }
}
