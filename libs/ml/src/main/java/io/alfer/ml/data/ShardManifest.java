package io.alfer.ml.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
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

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

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

  public String toJson() {
    return GSON.toJson(this);
  }

  /** Parses {@link #toJson()}'s output. */
  public static ShardManifest fromJson(String json) {
    try {
      ShardManifest manifest = GSON.fromJson(json, ShardManifest.class);
      if (manifest == null) {
        throw new IllegalArgumentException("empty shard manifest");
      }
      return manifest;
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("unreadable shard manifest: " + e.getMessage(), e);
    }
  }
}
