package io.alfer.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.storage.StorageLayout;
import io.alfer.ml.TestImages;
import io.alfer.ml.store.BlobStore;
import io.alfer.ml.store.LocalBlobStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardStoreTest {
  private static final PackedImages IMAGES = TestImages.banded(10, 8, 2, 3);

  @TempDir Path directory;

  @Test
  void codecRoundTripsAndRejectsGarbage() {
    byte[] shard = ShardCodec.write(IMAGES);
    assertSameImages(ShardCodec.read(shard), IMAGES);
    assertThatThrownBy(() -> ShardCodec.read(new byte[] {0, 1, 2, 3, 4}))
        .hasMessageContaining("not an alfer shard");
    byte[] truncated = Arrays.copyOf(shard, shard.length - 5);
    assertThatThrownBy(() -> ShardCodec.read(truncated)).hasMessageContaining("truncated");
  }

  @Test
  void packsOnceAndLaterReadsComeFromTheLocalCache() {
    CountingStore remote = new CountingStore(new LocalBlobStore(directory.resolve("s3")));
    Path cacheDir = directory.resolve("cache");
    ShardStore shards = new ShardStore(remote, new ShardCache(cacheDir));
    ShardManifest manifest = shards.pack("fer", IMAGES, 4);
    assertThat(manifest.shards()).extracting(ShardManifest.Entry::count).containsExactly(4, 4, 2);
    assertThat(manifest.shards().get(0).key()).startsWith(StorageLayout.shardsPrefix("fer"));

    assertSameImages(shards.load("fer"), IMAGES);
    assertThat(remote.shardReads).isEqualTo(3);
    // A new process with the same cache directory fetches nothing but the manifest.
    ShardStore restarted = new ShardStore(remote, new ShardCache(cacheDir));
    assertSameImages(restarted.load("fer"), IMAGES);
    assertThat(remote.shardReads).isEqualTo(3);

    List<String> packedAgain = new ArrayList<>();
    restarted.packIfAbsent(
        "fer",
        () -> {
          packedAgain.add("called");
          return IMAGES;
        },
        4);
    assertThat(packedAgain).isEmpty();
    assertThatThrownBy(() -> shards.load("other")).hasMessageContaining("other has no shards");
  }

  @Test
  void cacheRefetchesCorruptFilesAndRejectsWrongContent() throws IOException {
    CountingStore remote = new CountingStore(new LocalBlobStore(directory.resolve("s3")));
    ShardCache cache = new ShardCache(directory.resolve("cache"));
    ShardManifest manifest = new ShardStore(remote, cache).pack("fer", IMAGES, 100);
    ShardManifest.Entry entry = manifest.shards().get(0);
    cache.get(entry.sha256(), () -> remote.get(entry.key()));
    Files.write(directory.resolve("cache").resolve(entry.sha256() + ".shard"), new byte[] {1});
    assertThat(cache.get(entry.sha256(), () -> remote.get(entry.key())))
        .hasSize((int) remote.get(entry.key()).length);
    String otherHash = "0".repeat(64);
    assertThatThrownBy(() -> cache.get(otherHash, () -> new byte[] {7}))
        .hasMessageContaining("the manifest says");
    assertThatThrownBy(() -> cache.get("../x", () -> new byte[0])).hasMessageContaining("SHA-256");
  }

  @Test
  void readsCanonicalGrayPngsExactly() throws IOException {
    LocalBlobStore store = new LocalBlobStore(directory);
    List<String> ids = List.of("a", "b");
    for (int i = 0; i < 2; i++) {
      BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          image.getRaster().setSample(x, y, 0, IMAGES.pixel(i, y, x));
        }
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      store.put(StorageLayout.canonicalImage("fer", ids.get(i)), png.toByteArray(), "image/png");
    }
    PackedImages read = CanonicalImages.read(store, "fer", ids, new int[] {0, 1});
    assertSameImages(read, IMAGES.select(new int[] {0, 1}).withIds(ids));
  }

  private static void assertSameImages(PackedImages actual, PackedImages expected) {
    assertThat(actual.height()).isEqualTo(expected.height());
    assertThat(actual.width()).isEqualTo(expected.width());
    assertThat(actual.ids()).isEqualTo(expected.ids());
    assertThat(actual.labels()).isEqualTo(expected.labels());
    assertThat(actual.pixels()).isEqualTo(expected.pixels());
  }

  /** Counts reads of shard objects. */
  private static final class CountingStore implements BlobStore {
    private final BlobStore delegate;
    private int shardReads;

    CountingStore(BlobStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
      delegate.put(key, bytes, contentType);
    }

    @Override
    public Optional<byte[]> find(String key) {
      if (key.endsWith(".shard")) {
        shardReads++;
      }
      return delegate.find(key);
    }

    @Override
    public boolean exists(String key) {
      return delegate.exists(key);
    }
  }
}
