package io.alfer.ml.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Builds network inputs (B, 1, H, W) from packed images, and the per-epoch order of images. */
public final class Batches {
  private Batches() {}

  /**
   * Augmented views of the images at {@code indices}. Each view's randomness is derived from (seed,
   * epoch, image index, view), so it does not depend on batch composition.
   */
  public static NDArray augmented(
      NDManager manager,
      PackedImages images,
      int[] indices,
      Augmenter augmenter,
      long seed,
      int epoch,
      int view) {
    int area = images.imageArea();
    float[] data = new float[indices.length * area];
    for (int k = 0; k < indices.length; k++) {
      SplittableRandom random = new SplittableRandom(Seeds.derive(seed, epoch, indices[k], view));
      augmenter.view(images, indices[k], random, data, k * area);
    }
    return manager.create(data, shape(indices.length, images));
  }

  /** The images at {@code indices}, normalised, without augmentation. */
  public static NDArray plain(
      NDManager manager, PackedImages images, int[] indices, Normalization normalization) {
    int area = images.imageArea();
    float[] data = new float[indices.length * area];
    for (int k = 0; k < indices.length; k++) {
      Augmenter.plain(images, indices[k], normalization, data, k * area);
    }
    return manager.create(data, shape(indices.length, images));
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive), normalised. */
  public static NDArray range(
      NDManager manager, PackedImages images, int from, int to, Normalization normalization) {
    int[] indices = new int[to - from];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = from + i;
    }
    return plain(manager, images, indices, normalization);
  }

  /** A permutation of 0..n-1 fixed by (seed, epoch). */
  public static int[] shuffled(int n, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, epoch, -1));
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Entries {@code from} to {@code to} of {@code order}. */
  public static int[] slice(int[] order, int from, int to) {
    int[] out = new int[to - from];
    System.arraycopy(order, from, out, 0, out.length);
    return out;
  }

  private static Shape shape(int batch, PackedImages images) {
    return new Shape(batch, 1, images.height(), images.width());
  }
}
