package io.alfer.experiment.data;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.ml.data.CanonicalImages;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A dataset's pool and labelled test split as training tensors, read as the trainer reads them:
 * each split's canonical PNGs are packed once into shards named by a hash of the split's ids and
 * labels ({@code shards/<dataset>/<pool|test>-<hash>/}, the very names the trainer uses, so the two
 * share them), then read through the local shard cache.
 *
 * @param catalog the catalog the tensors were made from
 * @param pool every pool image in sorted-id order, labels unset
 * @param poolLabels the ground truth of every pool image (the experiment's oracle)
 * @param test the labelled test images with their labels
 * @param poolSnapshot name of the pool's shards
 * @param testSnapshot name of the test split's shards
 */
public record ExperimentData(
    DatasetCatalog catalog,
    PackedImages pool,
    int[] poolLabels,
    PackedImages test,
    String poolSnapshot,
    String testSnapshot) {

  /** Images per shard, as the trainer packs them. */
  public static final int IMAGES_PER_SHARD = ShardStore.DEFAULT_IMAGES_PER_SHARD;

  /**
   * Packs (once) and loads a dataset's splits.
   *
   * @param imageSize side to resample to; 0 keeps the canonical size
   * @throws IllegalArgumentException when the pool is empty, has images without ground truth, or
   *     there is no labelled test image
   */
  public static ExperimentData load(
      DatasetCatalog catalog, ObjectStore objects, ShardStore shards, int imageSize) {
    String dataset = catalog.dataset();
    if (catalog.poolSize() == 0) {
      throw new IllegalArgumentException("dataset " + dataset + " has no pool images");
    }
    if (catalog.testIds().isEmpty()) {
      throw new IllegalArgumentException(
          "dataset " + dataset + " has no labelled test images to measure accuracy on");
    }
    int unknown = catalog.unlabelledPoolImages();
    if (unknown > 0) {
      throw new IllegalArgumentException(
          "dataset "
              + dataset
              + " has "
              + unknown
              + " pool images without a ground-truth label; the experiment labels selected"
              + " images from the ground truth, so every pool image needs one");
    }
    int[] unlabelled = new int[catalog.poolSize()];
    Arrays.fill(unlabelled, PackedImages.UNLABELLED);
    String poolSnapshot = snapshotName(dataset, "pool", catalog.poolIds(), unlabelled);
    String testSnapshot = snapshotName(dataset, "test", catalog.testIds(), catalog.testLabels());
    BlobStore blobs = BlobStore.of(objects);
    shards.packIfAbsent(
        poolSnapshot,
        () -> CanonicalImages.read(blobs, dataset, catalog.poolIds(), unlabelled),
        IMAGES_PER_SHARD);
    shards.packIfAbsent(
        testSnapshot,
        () -> CanonicalImages.read(blobs, dataset, catalog.testIds(), catalog.testLabels()),
        IMAGES_PER_SHARD);
    PackedImages pool = shards.load(poolSnapshot);
    PackedImages test = shards.load(testSnapshot);
    requireOrder(pool, catalog.poolIds(), poolSnapshot);
    requireOrder(test, catalog.testIds(), testSnapshot);
    return new ExperimentData(
        catalog,
        resample(pool, imageSize),
        catalog.poolLabels().clone(),
        resample(test, imageSize),
        poolSnapshot,
        testSnapshot);
  }

  /** The trainer's snapshot name: {@code <dataset>/<split>-<16 hex of SHA-256(ids, labels)>}. */
  public static String snapshotName(String dataset, String split, List<String> ids, int[] labels) {
    String digest =
        Hashes.sha256Hex(
            (String.join("\n", ids) + "\n" + Arrays.toString(labels))
                .getBytes(StandardCharsets.UTF_8));
    return dataset + "/" + split + "-" + digest.substring(0, 16);
  }

  /** Number of pool images. */
  public int poolSize() {
    return pool.size();
  }

  /** The pool images at the given rows, labelled with their ground truth. */
  public PackedImages labelled(int[] rows) {
    PackedImages selected = pool.select(rows);
    int[] labels = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      labels[k] = poolLabels[rows[k]];
    }
    return new PackedImages(
        selected.height(), selected.width(), selected.ids(), labels, selected.pixels());
  }

  /**
   * How networks trained from scratch on this pool normalise their input: the pool's own mean and
   * deviation, as the trainer does.
   */
  public Normalization poolNormalization() {
    return Normalization.of(pool);
  }

  /** The side of the images the networks see. */
  public int imageSide() {
    return pool.height();
  }

  private static void requireOrder(PackedImages images, List<String> ids, String snapshot) {
    if (!images.ids().equals(ids)) {
      throw new IllegalStateException(
          "shards " + snapshot + " do not hold the catalog's images in sorted-id order");
    }
  }

  private static PackedImages resample(PackedImages images, int side) {
    if (side == 0 || (side == images.height() && side == images.width())) {
      return images;
    }
    ImageNormalizer normalizer = new ImageNormalizer(side, ImageNormalizer.DEFAULT_MAX_PIXELS);
    int area = images.imageArea();
    byte[] out = new byte[images.size() * side * side];
    byte[] one = new byte[area];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.pixels(), i * area, one, 0, area);
      byte[] resized =
          normalizer.normalizeGrayPixels(one, images.width(), images.height()).pixels();
      System.arraycopy(resized, 0, out, i * side * side, side * side);
    }
    return new PackedImages(side, side, images.ids(), images.labels(), out);
  }
}
