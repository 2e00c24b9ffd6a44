package io.alfer.select.inputs;

import io.alfer.proto.v1.EmbeddingsReady;
import java.util.List;

/**
 * What the embed service announced for one model's pool split: the full pass (null until it is
 * announced) and the increments after it, in arrival order. Together they cover the split; rows are
 * joined by image id (the first occurrence wins).
 *
 * @param full the full pass, or null
 * @param increments increments, in arrival order
 */
public record PoolEmbeddings(EmbeddingsReady full, List<EmbeddingsReady> increments) {
  public PoolEmbeddings {
    increments = List.copyOf(increments);
  }

  /** Whether the full pass is in. */
  public boolean ready() {
    return full != null;
  }

  /** The full pass then the increments. */
  public List<EmbeddingsReady> all() {
    if (full == null) {
      return List.of();
    }
    java.util.ArrayList<EmbeddingsReady> out = new java.util.ArrayList<>(increments.size() + 1);
    out.add(full);
    out.addAll(increments);
    return out;
  }
}
