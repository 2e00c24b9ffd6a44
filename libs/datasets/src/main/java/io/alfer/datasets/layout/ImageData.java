package io.alfer.datasets.layout;

import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;

/** The picture of an entry: encoded file bytes, or raw gray pixels (FER2013 CSV). */
public sealed interface ImageData {

  /**
   * Normalises the picture.
   *
   * @throws io.alfer.datasets.image.InvalidImageException when it is not a usable image
   */
  NormalizedImage normalizeWith(ImageNormalizer normalizer);

  /**
   * An encoded image file (PNG, JPEG, BMP, GIF, or something that claims to be).
   *
   * @param bytes the file's bytes, shared, not copied
   */
  record Encoded(byte[] bytes) implements ImageData {
    @Override
    public NormalizedImage normalizeWith(ImageNormalizer normalizer) {
      return normalizer.normalize(bytes);
    }

    @Override
    public String toString() {
      return "Encoded[" + bytes.length + " bytes]";
    }
  }

  /**
   * Row-major 8-bit gray pixels.
   *
   * @param pixels {@code width * height} gray levels, shared, not copied
   * @param width width in pixels
   * @param height height in pixels
   * @param sourceFormat where the pixels came from, e.g. {@code fer2013-csv}
   */
  record GrayPixels(byte[] pixels, int width, int height, String sourceFormat)
      implements ImageData {
    @Override
    public NormalizedImage normalizeWith(ImageNormalizer normalizer) {
      return normalizer.normalizeGrayPixels(pixels, width, height, sourceFormat);
    }

    @Override
    public String toString() {
      return "GrayPixels[%dx%d from %s]".formatted(width, height, sourceFormat);
    }
  }
}
