package io.alfer.ml.data;

import io.alfer.core.storage.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * Shards on local disk, keyed by the SHA-256 of their content: a shard is fetched once and reused
 * by every later epoch and run. A cached file whose content no longer matches its hash is fetched
 * again.
 */
public final class ShardCache {
  private final Path directory;

  public ShardCache(Path directory) {
    this.directory = directory;
  }

  /**
   * The shard with this hash: from disk when cached, else from {@code fetch} (verified, then
   * cached).
   */
  public byte[] get(String sha256, Supplier<byte[]> fetch) {
    Path file = directory.resolve(requireHash(sha256) + ".shard");
    try {
      if (Files.isRegularFile(file)) {
        byte[] cached = Files.readAllBytes(file);
        if (Hashes.sha256Hex(cached).equals(sha256)) {
          return cached;
        }
      }
      byte[] fetched = fetch.get();
      String actual = Hashes.sha256Hex(fetched);
      if (!actual.equals(sha256)) {
        throw new IllegalStateException(
            "fetched shard has SHA-256 " + actual + ", the manifest says " + sha256);
      }
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, ".fetch-", ".tmp");
      Files.write(temp, fetched);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return fetched;
    } catch (IOException e) {
      throw new UncheckedIOException("shard cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Whether a shard with this hash is on disk. */
  public boolean contains(String sha256) {
    return Files.isRegularFile(directory.resolve(requireHash(sha256) + ".shard"));
  }

  private static String requireHash(String sha256) {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a hex SHA-256: " + sha256);
    }
    return sha256;
  }
}
