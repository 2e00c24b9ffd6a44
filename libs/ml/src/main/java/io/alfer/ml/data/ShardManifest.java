package io.alfer.ml.data;

import io.alfer.ml.store.StoredJson;
import java.util.List;

/**
 * The index of a dataset's shards: image size, total count and each shard's key, hash and count.
 * Written after every shard, so its presence means the packing is complete.
 *
 * @param dataset the dataset
 * @param height image height
 * @param width image width
 * @param total images over all shards
 * @param shards the shards in order
 */
public record ShardManifest(String dataset, int height, int width, int total, List<Entry> shards) {

  /**
   * One shard.
   *
   * @param key object key
   * @param sha256 hex SHA-256 of the shard's bytes
   * @param count images in the shard
   */
  public record Entry(String key, String sha256, int count) {}

  public ShardManifest {
    shards = List.copyOf(shards);
    int sum = shards.stream().mapToInt(Entry::count).sum();
    if (sum != total) {
      throw new IllegalArgumentException(
          "manifest of " + dataset + " counts " + total + " images but its shards hold " + sum);
    }
  }

  /** Pretty-printed JSON ({@link StoredJson}). */
  public String toJson() {
    return StoredJson.write(this);
  }

  /** Parses {@link #toJson()}'s output. */
  public static ShardManifest fromJson(String json) {
    return StoredJson.read(json, ShardManifest.class, "shard manifest");
  }
}
