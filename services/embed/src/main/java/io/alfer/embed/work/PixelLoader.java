package io.alfer.embed.work;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.PixelSegment;
import io.alfer.core.storage.StorageException;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.InvalidImageException;
import io.alfer.proto.v1.ImageIngested;
import java.util.Optional;

/**
 * Returns an image's gray pixels at the model's input size. An image announced with a row of a
 * pixel segment at that size (an import's batch) is read from the segment, through the {@link
 * SegmentCache}: one S3 read per batch, no decoding. Otherwise — an image ingested on its own, an
 * unusable segment, a model of another size — its canonical PNG is read; PNGs already at the size
 * are decoded by {@link GrayPng}, any other image is normalised exactly as ingest does (grayscale,
 * centre crop, resize).
 */
final class PixelLoader {
  private final ObjectStore store;
  private final SegmentCache segments;
  private final long maxPixels;

  PixelLoader(ObjectStore store, SegmentCache segments, long maxPixels) {
    this.store = store;
    this.segments = segments;
    this.maxPixels = maxPixels;
  }

  /** Whether the image was announced with a row of a pixel segment at {@code size}. */
  boolean hasSegmentRow(ImageIngested image, int size) {
    return image.hasPixels() && image.getWidth() == size && image.getHeight() == size;
  }

  /**
   * The pixels of an image, {@code size × size}, row-major.
   *
   * @throws ImageFailure when the image is missing or not a usable image
   * @throws StorageException when S3 cannot answer now
   */
  byte[] load(ImageIngested image, int size) {
    if (hasSegmentRow(image, size)) {
      Optional<PixelSegment> segment = segments.get(image.getPixels().getSegment());
      int row = image.getPixels().getRow();
      if (segment.isPresent()
          && segment.get().width() == size
          && segment.get().height() == size
          && row < segment.get().rows()) {
        return segment.get().row(row);
      }
    }
    return load(image.getCanonical().getKey(), size);
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
