package io.alfer.ml.data;

import io.alfer.core.storage.StorageLayout;
import io.alfer.ml.store.BlobStore;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Reads a dataset's canonical grayscale PNGs from object storage into {@link PackedImages}. */
public final class CanonicalImages {
  private CanonicalImages() {}

  /**
   * The canonical images of {@code ids} (labels in the same order, {@link PackedImages#UNLABELLED}
   * where unknown); all must have the same size.
   */
  public static PackedImages read(BlobStore store, String dataset, List<String> ids, int[] labels) {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no image ids given for " + dataset);
    }
    byte[] pixels = null;
    int height = 0;
    int width = 0;
    for (int i = 0; i < ids.size(); i++) {
      String key = StorageLayout.canonicalImage(dataset, ids.get(i));
      BufferedImage image = decode(key, store.get(key));
      if (pixels == null) {
        height = image.getHeight();
        width = image.getWidth();
        pixels = new byte[Math.multiplyExact(ids.size(), height * width)];
      } else if (image.getHeight() != height || image.getWidth() != width) {
        throw new IllegalArgumentException(
            key
                + " is "
                + image.getWidth()
                + "×"
                + image.getHeight()
                + ", expected "
                + width
                + "×"
                + height);
      }
      copyGray(image, pixels, i * height * width);
    }
    return new PackedImages(height, width, ids, labels, pixels);
  }

  private static BufferedImage decode(String key, byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new IllegalArgumentException(key + " is not a decodable image");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode " + key, e);
    }
  }

  /** Gray rasters are copied as stored (getRGB would apply a colour-space conversion). */
  private static void copyGray(BufferedImage image, byte[] pixels, int base) {
    int width = image.getWidth();
    Raster raster = image.getRaster();
    boolean gray = raster.getNumBands() == 1 && raster.getSampleModel().getSampleSize(0) == 8;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        int value = gray ? raster.getSample(x, y, 0) : luminance(image.getRGB(x, y));
        pixels[base + y * width + x] = (byte) value;
      }
    }
  }

  private static int luminance(int rgb) {
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    return (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
}
