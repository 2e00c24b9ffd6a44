package io.alfer.ml.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Grayscale images of one size packed together: uint8 pixels (N × H × W, row-major), an id and a
 * label per image. Label {@value #UNLABELLED} marks an image without a label.
 *
 * @param height image height
 * @param width image width
 * @param ids image ids, one per image
 * @param labels class index per image, or {@value #UNLABELLED}
 * @param pixels N × H × W bytes, read as unsigned
 */
public record PackedImages(int height, int width, List<String> ids, int[] labels, byte[] pixels) {
  /** The label of an image without one. */
  public static final int UNLABELLED = -1;

  public PackedImages {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + height + "×" + width);
    }
    ids = List.copyOf(ids);
    if (labels.length != ids.size()) {
      throw new IllegalArgumentException(
          ids.size() + " ids but " + labels.length + " labels; need one label per image");
    }
    if ((long) ids.size() * height * width != pixels.length) {
      throw new IllegalArgumentException(
          "expected "
              + ids.size()
              + "×"
              + height
              + "×"
              + width
              + " pixel bytes, got "
              + pixels.length);
    }
    for (int label : labels) {
      if (label < UNLABELLED) {
        throw new IllegalArgumentException("labels must be >= -1, got " + label);
      }
    }
  }

  /** The number of images. */
  public int size() {
    return ids.size();
  }

  /** Pixels per image. */
  public int imageArea() {
    return height * width;
  }

  /** Pixel (y, x) of image i, in [0, 255]. */
  public int pixel(int image, int y, int x) {
    return pixels[image * imageArea() + y * width + x] & 0xFF;
  }

  /** The images at the given indices, in that order. */
  public PackedImages select(int[] indices) {
    int area = imageArea();
    byte[] out = new byte[indices.length * area];
    int[] outLabels = new int[indices.length];
    List<String> outIds = new ArrayList<>(indices.length);
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (i < 0 || i >= size()) {
        throw new IndexOutOfBoundsException("image index " + i + " outside 0.." + (size() - 1));
      }
      System.arraycopy(pixels, i * area, out, k * area, area);
      outLabels[k] = labels[i];
      outIds.add(ids.get(i));
    }
    return new PackedImages(height, width, outIds, outLabels, out);
  }

  /** These images followed by {@code other}'s (same size required). */
  public PackedImages concat(PackedImages other) {
    if (other.height != height || other.width != width) {
      throw new IllegalArgumentException(
          "cannot join " + height + "×" + width + " with " + other.height + "×" + other.width);
    }
    byte[] out = new byte[pixels.length + other.pixels.length];
    System.arraycopy(pixels, 0, out, 0, pixels.length);
    System.arraycopy(other.pixels, 0, out, pixels.length, other.pixels.length);
    int[] outLabels = new int[labels.length + other.labels.length];
    System.arraycopy(labels, 0, outLabels, 0, labels.length);
    System.arraycopy(other.labels, 0, outLabels, labels.length, other.labels.length);
    List<String> outIds = new ArrayList<>(ids);
    outIds.addAll(other.ids);
    return new PackedImages(height, width, outIds, outLabels, out);
  }

  /** The same images under other ids. */
  public PackedImages withIds(List<String> newIds) {
    return new PackedImages(height, width, newIds, labels, pixels);
  }

  /** Requires every image to have a label below {@code classes}. */
  public void requireLabels(int classes) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "image " + ids.get(i) + " has label " + labels[i] + ", expected 0.." + (classes - 1));
      }
    }
  }
}
