package io.alfer.ml.data;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.StorageLayout;
import io.alfer.ml.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A dataset's training images packed into shards under {@code shards/<dataset>/}: each shard is
 * named by its content hash, and {@value #MANIFEST} lists them. Reading goes through a {@link
 * ShardCache}, so training fetches each shard once instead of one object per image per epoch.
 */
public final class ShardStore {
  public static final String MANIFEST = "manifest.json";

  /** Images per shard unless told otherwise. */
  public static final int DEFAULT_IMAGES_PER_SHARD = 4096;

  private final BlobStore store;
  private final ShardCache cache;

  public ShardStore(BlobStore store, ShardCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /** The manifest of a dataset, or empty when it has not been packed. */
  public Optional<ShardManifest> manifest(String dataset) {
    return store
        .find(manifestKey(dataset))
        .map(bytes -> ShardManifest.fromJson(new String(bytes, StandardCharsets.UTF_8)));
  }

  /** Packs the images unless the dataset already has shards; returns the manifest in use. */
  public ShardManifest packIfAbsent(
      String dataset, Supplier<PackedImages> images, int imagesPerShard) {
    return manifest(dataset).orElseGet(() -> pack(dataset, images.get(), imagesPerShard));
  }

  /** Writes the images as shards of at most {@code imagesPerShard}, then the manifest. */
  public ShardManifest pack(String dataset, PackedImages images, int imagesPerShard) {
    if (imagesPerShard <= 0) {
      throw new IllegalArgumentException("imagesPerShard must be positive, got " + imagesPerShard);
    }
    if (images.size() == 0) {
      throw new IllegalArgumentException("dataset " + dataset + " has no images to pack");
    }
    List<ShardManifest.Entry> entries = new ArrayList<>();
    for (int from = 0; from < images.size(); from += imagesPerShard) {
      int to = Math.min(images.size(), from + imagesPerShard);
      int[] indices = new int[to - from];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = from + i;
      }
      byte[] shard = ShardCodec.write(images.select(indices));
      String sha256 = Hashes.sha256Hex(shard);
      String key = StorageLayout.shardsPrefix(dataset) + sha256 + ".shard";
      store.put(key, shard, "application/octet-stream");
      entries.add(new ShardManifest.Entry(key, sha256, indices.length));
    }
    ShardManifest manifest =
        new ShardManifest(dataset, images.height(), images.width(), images.size(), entries);
    store.put(
        manifestKey(dataset),
        manifest.toJson().getBytes(StandardCharsets.UTF_8),
        "application/json");
    return manifest;
  }

  /** Every image of a packed dataset, in packing order. */
  public PackedImages load(String dataset) {
    ShardManifest manifest =
        manifest(dataset)
            .orElseThrow(
                () -> new IllegalArgumentException("dataset " + dataset + " has no shards"));
    PackedImages all = null;
    for (ShardManifest.Entry entry : manifest.shards()) {
      PackedImages shard = ShardCodec.read(cache.get(entry.sha256(), () -> store.get(entry.key())));
      if (shard.size() != entry.count()
          || shard.height() != manifest.height()
          || shard.width() != manifest.width()) {
        throw new IllegalStateException("shard " + entry.key() + " does not match the manifest");
      }
      all = all == null ? shard : all.concat(shard);
    }
    return all;
  }

  private static String manifestKey(String dataset) {
    return StorageLayout.shardsPrefix(dataset) + MANIFEST;
  }
}
