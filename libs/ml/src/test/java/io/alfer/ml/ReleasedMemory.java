package io.alfer.ml;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * Frees, now, the native memory of every Java direct buffer that nothing references any more, as a
 * garbage collection at an unlucky moment would. DJL wraps such buffers as tensors without copying
 * them; a tensor that outlives its buffer then reads memory the C allocator has taken back (and
 * written its own bookkeeping into). Calling this between a forward and a backward pass turns that
 * rare, timing-dependent failure into a certain one.
 */
public final class ReleasedMemory {
  private static final int MAX_COLLECTIONS = 50;

  private ReleasedMemory() {}

  /**
   * Collects garbage and waits until the reference handler has run the cleaners of everything that
   * collection found: buffer cleaners run on that one thread, one collection's batch after
   * another's, so once a marker dropped after a first collection is enqueued by a later one, the
   * first batch (and with it every buffer unreachable before the call) has been freed.
   */
  public static void free() {
    for (int round = 0; round < 2; round++) {
      collectUntilEnqueued();
    }
  }

  private static void collectUntilEnqueued() {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    PhantomReference<Object> marker = new PhantomReference<>(new Object(), queue);
    try {
      for (int i = 0; i < MAX_COLLECTIONS; i++) {
        System.gc();
        if (queue.remove(100) != null) {
          return;
        }
      }
      throw new IllegalStateException(
          "no garbage collection enqueued the marker after " + MAX_COLLECTIONS + " requests");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      Reference.reachabilityFence(marker);
    }
  }
}
