package io.alfer.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.PixelSegment;
import io.alfer.core.storage.StorageLayout;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.ml.store.LocalBlobStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanonicalImagesTest {
  @TempDir Path directory;

  @Test
  void readsImagesFromTheirSegmentsAndFromPngsWhereASegmentIsMissingOrCorrupt() {
    LocalBlobStore store = new LocalBlobStore(directory);
    Random random = new Random(3);
    ImageNormalizer normalizer = new ImageNormalizer();
    List<NormalizedImage> images = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      byte[] gray = new byte[48 * 48];
      random.nextBytes(gray);
      images.add(normalizer.normalizeGrayPixels(gray, 48, 48));
    }
    // Images 0-3 in a good segment (their PNGs deleted: only the segment can give them), 4-6 in
    // a corrupt one (read from their PNGs), 7-8 without a segment.
    Map<String, CanonicalImages.SegmentRow> rows = new HashMap<>();
    CanonicalImages.SegmentRow[] good = segment(store, images.subList(0, 4), false);
    CanonicalImages.SegmentRow[] bad = segment(store, images.subList(4, 7), true);
    for (int i = 0; i < 9; i++) {
      NormalizedImage image = images.get(i);
      if (i >= 4) {
        store.put(StorageLayout.canonicalImage("d", image.id()), image.png(), "image/png");
      }
      if (i < 4) {
        rows.put(image.id(), good[i]);
      } else if (i < 7) {
        rows.put(image.id(), bad[i - 4]);
      }
    }
    List<String> ids = images.stream().map(NormalizedImage::id).toList();
    int[] labels = new int[9];
    PackedImages packed =
        CanonicalImages.read(store, "d", ids, labels, id -> Optional.ofNullable(rows.get(id)));
    assertThat(packed.size()).isEqualTo(9);
    byte[] expected = new byte[9 * 48 * 48];
    for (int i = 0; i < 9; i++) {
      System.arraycopy(images.get(i).pixels(), 0, expected, i * 48 * 48, 48 * 48);
    }
    assertThat(packed.pixels()).isEqualTo(expected);
  }

  private static CanonicalImages.SegmentRow[] segment(
      LocalBlobStore store, List<NormalizedImage> images, boolean corrupt) {
    byte[] pixels = new byte[images.size() * 48 * 48];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i).pixels(), 0, pixels, i * 48 * 48, 48 * 48);
    }
    byte[] bytes = new PixelSegment(images.size(), 48, 48, pixels).toBytes();
    String sha = Hashes.sha256Hex(bytes);
    String key = StorageLayout.pixelSegment("d", sha);
    if (corrupt) {
      bytes[bytes.length - 1] ^= 1;
    }
    store.put(key, bytes, PixelSegment.CONTENT_TYPE);
    CanonicalImages.SegmentRow[] rows = new CanonicalImages.SegmentRow[images.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new CanonicalImages.SegmentRow(key, bytes.length, sha, i);
    }
    return rows;
  }
}
