package io.alfer.ml.eval;

import io.alfer.ml.data.PackedImages;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A labelled image set on which pre-training measures, after every epoch, how well the encoder's
 * embeddings separate the classes ({@link RepresentationQuality}): the leave-one-out {@link
 * KnnAccuracy k-NN accuracy} and the cross-validated {@link LinearProbeAccuracy linear-probe
 * accuracy}. In production the pool is unlabelled, so this is the dataset's labelled test split; it
 * is only looked at, never trained on.
 *
 * <p>Sets larger than {@code maxImages} are cut to a fixed subset (the same for every run, so runs
 * stay comparable), which bounds the cost: one inference pass over the probe, n² · d multiply-adds
 * for the k-NN vote and about 2 n · d² for the linear probe.
 */
public final class QualityProbe {
  /** The most images a probe keeps by default. */
  public static final int DEFAULT_MAX_IMAGES = 1000;

  private static final long SUBSET_SEED = 0x6B6E6E70726F6265L;

  private final PackedImages images;
  private final int k;

  private QualityProbe(PackedImages images, int k) {
    this.images = images;
    this.k = k;
  }

  /**
   * A probe with k = {@value KnnAccuracy#DEFAULT_K}, {@value LinearProbeAccuracy#DEFAULT_FOLDS}
   * folds, on at most 1,000 of these images.
   */
  public static QualityProbe of(PackedImages labelled) {
    return of(labelled, KnnAccuracy.DEFAULT_K, DEFAULT_MAX_IMAGES);
  }

  /**
   * A probe on the labelled images among {@code images} (unlabelled ones are left out), at most
   * {@code maxImages} of them.
   *
   * @throws IllegalArgumentException when fewer than two labelled images remain
   */
  public static QualityProbe of(PackedImages images, int k, int maxImages) {
    if (k < 1 || maxImages < 2) {
      throw new IllegalArgumentException(
          "a quality probe needs k >= 1 and room for 2 images, got k " + k + ", " + maxImages);
    }
    int[] labelled =
        IntStream.range(0, images.size()).filter(i -> images.labels()[i] >= 0).toArray();
    if (labelled.length < 2) {
      throw new IllegalArgumentException(
          "a quality probe needs at least 2 labelled images, got " + labelled.length);
    }
    if (labelled.length > maxImages) {
      SplittableRandom random = new SplittableRandom(SUBSET_SEED);
      for (int i = 0; i < maxImages; i++) {
        int j = i + random.nextInt(labelled.length - i);
        int t = labelled[i];
        labelled[i] = labelled[j];
        labelled[j] = t;
      }
      labelled = Arrays.copyOf(labelled, maxImages);
      Arrays.sort(labelled);
    }
    return new QualityProbe(images.select(labelled), k);
  }

  /** The images measured on (all labelled). */
  public PackedImages images() {
    return images;
  }

  /** Neighbours per vote. */
  public int k() {
    return k;
  }

  /**
   * Both figures for embeddings of {@link #images()}, in their order.
   *
   * @param seconds time already spent on the embeddings, added to the figures' own
   */
  public RepresentationQuality measure(float[][] embeddings, double seconds) {
    long start = System.nanoTime();
    double knn = KnnAccuracy.leaveOneOut(embeddings, images.labels(), k);
    int folds = Math.min(LinearProbeAccuracy.DEFAULT_FOLDS, images.size());
    double linear =
        LinearProbeAccuracy.crossValidated(
            embeddings, images.labels(), folds, LinearProbeAccuracy.DEFAULT_RIDGE);
    return new RepresentationQuality(
        knn, linear, images.size(), seconds + (System.nanoTime() - start) / 1e9);
  }
}
