package io.alfer.ml.store;

import io.alfer.core.storage.ObjectStore;
import java.util.Optional;

/**
 * The three object-storage operations checkpoints and shards need. {@link #of(ObjectStore)} adapts
 * alfer's S3 client; {@link LocalBlobStore} keeps objects in a directory.
 */
public interface BlobStore {
  /** Stores bytes under a key, replacing what was there. */
  void put(String key, byte[] bytes, String contentType);

  /** The bytes under a key, or empty when there is none. */
  Optional<byte[]> find(String key);

  /** Whether an object exists under the key. */
  boolean exists(String key);

  /** The bytes under a key; fails with a message naming the key when there is none. */
  default byte[] get(String key) {
    return find(key).orElseThrow(() -> new IllegalArgumentException("no object under " + key));
  }

  /** The S3 bucket behind an {@link ObjectStore}. */
  static BlobStore of(ObjectStore store) {
    return new BlobStore() {
      @Override
      public void put(String key, byte[] bytes, String contentType) {
        store.put(key, bytes, contentType);
      }

      @Override
      public Optional<byte[]> find(String key) {
        return store.find(key);
      }

      @Override
      public boolean exists(String key) {
        return store.exists(key);
      }
    };
  }
}
