package io.alfer.ml;

import io.alfer.ml.data.PackedImages;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic grayscale images whose class is visible: each class brightens its own band of rows. */
public final class TestImages {
  private TestImages() {}

  public static PackedImages banded(int count, int size, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[count * size * size];
    int[] labels = new int[count];
    List<String> ids = new ArrayList<>();
    int band = size / classes;
    for (int i = 0; i < count; i++) {
      int label = i % classes;
      labels[i] = label;
      ids.add("img-" + i);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int base = y / Math.max(1, band) == label ? 200 : 40;
          int value = Math.min(255, Math.max(0, base + random.nextInt(-30, 31)));
          pixels[(i * size + y) * size + x] = (byte) value;
        }
      }
    }
    return new PackedImages(size, size, ids, labels, pixels);
  }
}
