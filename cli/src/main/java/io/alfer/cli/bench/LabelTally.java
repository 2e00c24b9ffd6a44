package io.alfer.cli.bench;

import java.util.Arrays;

/**
 * What {@code bench label} saw of one run, per image (by its index in the selection): when its last
 * result was sent, how many labels came for it and when the first one came. Answers the run's
 * figures: lost and doubled images, labels that name another class than the image's unanimous
 * results did, and the latency percentiles from result to label. Thread-safe: the vendor's sending
 * thread and the label reader record into it.
 */
final class LabelTally {
  private final long[] sentNanos;
  private final long[] labelNanos;
  private final int[] labels;
  private final int[] unanimous;
  private int mismatched;
  private long firstSentNanos = Long.MAX_VALUE;
  private long lastLabelNanos = Long.MIN_VALUE;
  private int labelled;

  /**
   * @param images the images of the run
   */
  LabelTally(int images) {
    sentNanos = new long[images];
    labelNanos = new long[images];
    labels = new int[images];
    unanimous = new int[images];
    Arrays.fill(sentNanos, Long.MIN_VALUE);
    Arrays.fill(unanimous, -1);
  }

  /** The number of images. */
  int images() {
    return labels.length;
  }

  /**
   * Records that the image's results all name class {@code label} (a label of another class is then
   * a mismatch); images whose results disagree are not checked.
   */
  synchronized void expect(int image, int label) {
    unanimous[image] = label;
  }

  /** Records that a result of the image was sent at {@code nanos}; its last one counts. */
  synchronized void sent(int image, long nanos) {
    sentNanos[image] = Math.max(sentNanos[image], nanos);
    firstSentNanos = Math.min(firstSentNanos, nanos);
  }

  /**
   * Records a label of the image, of class {@code label}, that arrived at {@code nanos}; returns
   * whether it is the image's first and names another class than its unanimous results.
   */
  synchronized boolean labelled(int image, int label, long nanos) {
    if (labels[image]++ > 0) {
      return false;
    }
    labelNanos[image] = nanos;
    labelled++;
    lastLabelNanos = Math.max(lastLabelNanos, nanos);
    if (unanimous[image] >= 0 && unanimous[image] != label) {
      mismatched++;
      return true;
    }
    return false;
  }

  /** The class all results of the image named, or -1 when they disagree. */
  synchronized int unanimousClass(int image) {
    return unanimous[image];
  }

  /** Images with at least one label. */
  synchronized int labelled() {
    return labelled;
  }

  /** Images without a label. */
  synchronized int lost() {
    return labels.length - labelled;
  }

  /** Labels beyond the first of an image, over all images. */
  synchronized int doubled() {
    int extra = 0;
    for (int n : labels) {
      extra += Math.max(0, n - 1);
    }
    return extra;
  }

  /** Images whose results were unanimous and whose label names another class. */
  synchronized int mismatched() {
    return mismatched;
  }

  /** Seconds from the first result sent to the last first label, or NaN before either. */
  synchronized double seconds() {
    if (firstSentNanos == Long.MAX_VALUE || lastLabelNanos == Long.MIN_VALUE) {
      return Double.NaN;
    }
    return (lastLabelNanos - firstSentNanos) / 1e9;
  }

  /**
   * The latencies in milliseconds, from an image's last result sent to its first label, sorted; of
   * the images that have both.
   */
  synchronized double[] latenciesMs() {
    double[] ms = new double[labels.length];
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 0 && sentNanos[i] != Long.MIN_VALUE) {
        ms[n++] = (labelNanos[i] - sentNanos[i]) / 1e6;
      }
    }
    double[] sorted = Arrays.copyOf(ms, n);
    Arrays.sort(sorted);
    return sorted;
  }

  /**
   * The {@code p}-th percentile (0 < p ≤ 100) of sorted values by the nearest-rank method: the
   * smallest value that at least p% of the values do not exceed; NaN when there are none.
   */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile " + p + " is not in (0, 100]");
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
