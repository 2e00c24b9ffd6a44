package io.alfer.embed.work;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.PixelSegment;
import io.alfer.core.storage.StorageException;
import io.alfer.proto.v1.ObjectRef;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The pixel segments of recent work, read once and kept in memory up to a byte budget (least
 * recently used first out): the images of a segment are spread over every partition of {@code
 * alfer.images}, so each of a replica's work units reads the same segments. Concurrent readers of
 * one segment wait for a single read. A segment that is missing or does not match its reference
 * (size, SHA-256, format) is remembered as unusable and its images are read from their PNGs.
 */
final class SegmentCache {
  private static final Logger LOG = Logger.getLogger(SegmentCache.class);

  private final ObjectStore store;
  private final long budgetBytes;
  private final Map<String, CompletableFuture<Optional<PixelSegment>>> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  SegmentCache(ObjectStore store, long budgetBytes) {
    this.store = store;
    this.budgetBytes = budgetBytes;
  }

  /**
   * The segment a reference points at, or empty when it is unusable (missing, corrupt).
   *
   * @throws StorageException when S3 cannot answer now (nothing is remembered)
   */
  Optional<PixelSegment> get(ObjectRef ref) {
    CompletableFuture<Optional<PixelSegment>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<PixelSegment>> found;
    synchronized (entries) {
      found = entries.putIfAbsent(ref.getKey(), mine);
    }
    if (found != null) {
      try {
        return found.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      Optional<PixelSegment> segment = read(ref);
      mine.complete(segment);
      synchronized (entries) {
        bytes += segment.map(s -> (long) s.pixels().length).orElse(0L);
        evict();
      }
      return segment;
    } catch (RuntimeException e) {
      synchronized (entries) {
        entries.remove(ref.getKey(), mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** Bytes of pixels held. */
  long bytes() {
    synchronized (entries) {
      return bytes;
    }
  }

  private Optional<PixelSegment> read(ObjectRef ref) {
    byte[] data;
    try {
      data = store.get(ref.getKey());
    } catch (StorageException e) {
      if (store.exists(ref.getKey())) {
        throw e;
      }
      LOG.warnf("pixel segment %s is missing; its images are read from their PNGs", ref.getKey());
      return Optional.empty();
    }
    String problem = null;
    if (ref.getSizeBytes() > 0 && data.length != ref.getSizeBytes()) {
      problem = data.length + " bytes where its reference says " + ref.getSizeBytes();
    } else if (!ref.getSha256().isEmpty() && !ref.getSha256().equals(Hashes.sha256Hex(data))) {
      problem = "its SHA-256 differs from its reference's";
    }
    if (problem == null) {
      try {
        return Optional.of(PixelSegment.fromBytes(data));
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    LOG.warnf(
        "pixel segment %s is unusable (%s); its images are read from their PNGs",
        ref.getKey(), problem);
    return Optional.empty();
  }

  private void evict() {
    Iterator<Map.Entry<String, CompletableFuture<Optional<PixelSegment>>>> it =
        entries.entrySet().iterator();
    while (bytes > budgetBytes && it.hasNext()) {
      CompletableFuture<Optional<PixelSegment>> f = it.next().getValue();
      if (!f.isDone()) {
        continue;
      }
      Optional<PixelSegment> s = f.getNow(Optional.empty());
      bytes -= s.map(x -> (long) x.pixels().length).orElse(0L);
      it.remove();
    }
  }
}
