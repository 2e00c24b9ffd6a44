package io.alfer.ml.data;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.PixelSegment;
import io.alfer.core.storage.StorageLayout;
import io.alfer.ml.store.BlobStore;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.imageio.ImageIO;

/**
 * Reads a dataset's canonical images from object storage into {@link PackedImages}: from their
 * pixel segments where the images have one (one read per segment, checked against its size and
 * SHA-256), else — and for a segment that is missing or does not match — one canonical PNG each.
 */
public final class CanonicalImages {
  private static final Logger LOG = Logger.getLogger(CanonicalImages.class.getName());

  private CanonicalImages() {}

  /**
   * Where an image's pixels are in a pixel segment ({@code io.alfer.core.storage.PixelSegment}).
   *
   * @param key the segment's object key
   * @param sizeBytes its size, 0 when unknown
   * @param sha256 its hex SHA-256, empty when unknown
   * @param row the image's row
   */
  public record SegmentRow(String key, long sizeBytes, String sha256, int row) {}

  /**
   * The canonical images of {@code ids}, each read from its pixel segment when {@code rows} names
   * one, else from its PNG.
   */
  public static PackedImages read(
      BlobStore store,
      String dataset,
      List<String> ids,
      int[] labels,
      Function<String, Optional<SegmentRow>> rows) {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no image ids given for " + dataset);
    }
    Map<String, List<Integer>> bySegment = new LinkedHashMap<>();
    Map<Integer, SegmentRow> rowOf = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      Optional<SegmentRow> r = rows.apply(ids.get(i));
      if (r.isPresent()) {
        bySegment.computeIfAbsent(r.get().key(), k -> new ArrayList<>()).add(i);
        rowOf.put(i, r.get());
      }
    }
    byte[] pixels = null;
    int height = 0;
    int width = 0;
    boolean[] done = new boolean[ids.size()];
    for (Map.Entry<String, List<Integer>> e : bySegment.entrySet()) {
      Optional<PixelSegment> segment = segment(store, rowOf.get(e.getValue().get(0)));
      if (segment.isEmpty()) {
        continue;
      }
      PixelSegment s = segment.get();
      if (pixels == null) {
        height = s.height();
        width = s.width();
        pixels = new byte[Math.multiplyExact(ids.size(), height * width)];
      } else if (s.height() != height || s.width() != width) {
        continue; // another size: the PNG path says which image
      }
      int area = height * width;
      for (int i : e.getValue()) {
        int row = rowOf.get(i).row();
        if (row < s.rows()) {
          System.arraycopy(s.pixels(), row * area, pixels, i * area, area);
          done[i] = true;
        }
      }
    }
    for (int i = 0; i < ids.size(); i++) {
      if (done[i]) {
        continue;
      }
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

  /** A segment when it is there and matches its reference; empty otherwise. */
  private static Optional<PixelSegment> segment(BlobStore store, SegmentRow ref) {
    Optional<byte[]> bytes = store.find(ref.key());
    if (bytes.isEmpty()
        || (ref.sizeBytes() > 0 && bytes.get().length != ref.sizeBytes())
        || (!ref.sha256().isEmpty() && !ref.sha256().equals(Hashes.sha256Hex(bytes.get())))) {
      LOG.warning(
          "pixel segment " + ref.key() + " is missing or does not match its reference: PNGs used");
      return Optional.empty();
    }
    try {
      return Optional.of(PixelSegment.fromBytes(bytes.get()));
    } catch (IllegalArgumentException e) {
      LOG.warning(
          "pixel segment " + ref.key() + " is unreadable (" + e.getMessage() + "): PNGs used");
      return Optional.empty();
    }
  }

  /**
   * The canonical images of {@code ids} (labels in the same order, {@link PackedImages#UNLABELLED}
   * where unknown); all must have the same size.
   */
  public static PackedImages read(BlobStore store, String dataset, List<String> ids, int[] labels) {
    return read(store, dataset, ids, labels, id -> Optional.empty());
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
