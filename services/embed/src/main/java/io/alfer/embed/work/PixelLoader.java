package io.alfer.embed.work;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageException;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.InvalidImageException;

/**
 * Reads an image's canonical PNG from S3 and returns its gray pixels at the model's input size.
 * Canonical PNGs already at that size (the usual case) are decoded by {@link GrayPng}; any other
 * image is normalised exactly as ingest does (grayscale, centre crop, resize).
 */
final class PixelLoader {
  private final ObjectStore store;
  private final long maxPixels;

  PixelLoader(ObjectStore store, long maxPixels) {
    this.store = store;
    this.maxPixels = maxPixels;
  }

  /**
   * The pixels of the image under {@code key}, {@code size × size}, row-major.
   *
   * @throws ImageFailure when the object is missing or not a usable image
   * @throws StorageException when S3 cannot answer now
   */
  byte[] load(String key, int size) {
    byte[] png;
    try {
      png = store.get(key);
    } catch (StorageException e) {
      if (store.exists(key)) {
        throw e;
      }
      throw new ImageFailure("missing_object", "no object " + key, e);
    }
    return pixels(png, size, key);
  }

  private byte[] pixels(byte[] encoded, int size, String key) {
    byte[] gray = GrayPng.decode(encoded, size);
    if (gray != null) {
      return gray;
    }
    try {
      return new ImageNormalizer(size, maxPixels).normalize(encoded).pixels();
    } catch (InvalidImageException e) {
      throw new ImageFailure(
          "undecodable_image", key + ": " + e.getMessage() + " (" + e.reason() + ")", e);
    }
  }
}
