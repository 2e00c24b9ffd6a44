package io.alfer.embed.storage;

import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.MatrixRef;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Model outputs in object storage, under {@code embeddings/<model>/<dataset>/<split>/}:
 *
 * <ul>
 *   <li>{@code plans/p<k>/initial.txt} — the work items partition k of {@code alfer.images} was cut
 *       into for the full pass (one item key per line, possibly none), written by the replica that
 *       owns the partition once the items were sent; {@code plans/p<k>/inc-<first>-<last>.txt} —
 *       items of images that came later;
 *   <li>{@code items/p<k>-<first>-<last>/} — the rows of one work item (images of partition k from
 *       offset first to last), written by the replica that did it;
 *   <li>{@code ids.txt}, {@code embeddings.f32}, {@code probabilities.f32} — the full pass, the
 *       items of every partition's first plan joined, partitions in order, once all are stored.
 * </ul>
 *
 * Every chunk is written matrices first and {@code ids.txt} last, so an id list marks a complete
 * chunk.
 */
public final class EmbeddingStore {
  public static final String IDS = "ids.txt";
  public static final String EMBEDDINGS = "embeddings.f32";
  public static final String PROBABILITIES = "probabilities.f32";

  private final ObjectStore store;

  /** First plans kept in memory at most (a pass has one per partition of alfer.images). */
  private static final int PLANS_KEPT = 4096;

  private final Map<String, List<String>> initialPlans = new ConcurrentHashMap<>();

  /**
   * Bytes of the chunks this replica wrote kept in memory, so that joining a pass reads from S3
   * only the items other replicas did (least recently written out first).
   */
  static final long WRITTEN_KEPT_BYTES = 128L << 20;

  private final Map<String, Chunk> written = new LinkedHashMap<>(16, 0.75f, true);
  private long writtenBytes;

  /** Reads the items of a pass side by side when joining it. */
  private final ExecutorService readers;

  public EmbeddingStore(ObjectStore store) {
    this.store = store;
    this.readers = Executors.newFixedThreadPool(8, DaemonThreads.numbered("embed-chunk-reader"));
  }

  /** The prefix of a model's outputs over a dataset split. */
  public static String base(String modelId, String dataset, Split split) {
    return StorageLayout.embeddingsPrefix(modelId, dataset, splitName(split));
  }

  /** pool or test. */
  public static String splitName(Split split) {
    return switch (split) {
      case SPLIT_POOL -> "pool";
      case SPLIT_TEST -> "test";
      default -> throw new IllegalArgumentException("no split " + split);
    };
  }

  /** Name of a partition's first plan of a pass; later plans are {@code inc-<first>-<last>.txt}. */
  public static final String INITIAL_PLAN = "initial.txt";

  /** The key of a work item within its pass: {@code p<partition>-<first>-<last>}. */
  public static String itemKey(int partition, long firstOffset, long lastOffset) {
    return "p" + partition + "-" + firstOffset + "-" + lastOffset;
  }

  static String itemPrefix(String base, String itemKey) {
    return base + "items/" + itemKey + "/";
  }

  static String planPrefix(String base, int partition) {
    return base + "plans/p" + partition + "/";
  }

  /** Writes a work item's chunk ({@code items/<key>/}, {@code ids.txt} last). */
  public StoredChunk writeItem(String base, String itemKey, Chunk chunk) {
    StoredChunk stored = write(itemPrefix(base, itemKey), chunk);
    keep(itemPrefix(base, itemKey), chunk);
    return stored;
  }

  private void keep(String prefix, Chunk chunk) {
    long size = bytes(chunk);
    synchronized (written) {
      Chunk before = written.put(prefix, chunk);
      writtenBytes += size - (before == null ? 0 : bytes(before));
      Iterator<Map.Entry<String, Chunk>> it = written.entrySet().iterator();
      while (writtenBytes > WRITTEN_KEPT_BYTES && it.hasNext()) {
        writtenBytes -= bytes(it.next().getValue());
        it.remove();
      }
    }
  }

  private static long bytes(Chunk c) {
    return 4L * (c.embeddings().values().length + c.probabilities().values().length);
  }

  /** A chunk of this pass from memory when this replica wrote it, else from S3. */
  private Chunk readItem(String prefix, int classes) {
    synchronized (written) {
      Chunk kept = written.get(prefix);
      if (kept != null) {
        return kept;
      }
    }
    return read(prefix, classes);
  }

  private void forget(String base) {
    synchronized (written) {
      Iterator<Map.Entry<String, Chunk>> it = written.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Chunk> e = it.next();
        if (e.getKey().startsWith(base)) {
          writtenBytes -= bytes(e.getValue());
          it.remove();
        }
      }
    }
  }

  /** Whether a work item's chunk is complete (its {@code ids.txt} exists). */
  public boolean itemDone(String base, String itemKey) {
    return store.exists(itemPrefix(base, itemKey) + IDS);
  }

  /**
   * Records which work items a partition's images were planned into: the partition's first plan
   * ({@value #INITIAL_PLAN}, the items of the full pass, possibly none) or a later one
   * (increments). Written after the items were sent, so a plan names only items that exist.
   */
  public void writePlan(String base, int partition, boolean initial, List<String> itemKeys) {
    String name =
        initial
            ? INITIAL_PLAN
            : "inc-"
                + firstOffset(itemKeys.get(0))
                + "-"
                + lastOffset(itemKeys.get(itemKeys.size() - 1))
                + ".txt";
    store.put(planPrefix(base, partition) + name, IdList.toBytes(itemKeys), IdList.CONTENT_TYPE);
  }

  /**
   * What a partition's plans cover.
   *
   * @param initial whether its first plan exists
   * @param upTo the last offset of any planned item, -1 when none
   */
  public record Planned(boolean initial, long upTo) {}

  /** What the plans of a partition cover so far. */
  public Planned planned(String base, int partition) {
    boolean initial = false;
    long upTo = -1;
    for (String key : store.listKeys(planPrefix(base, partition))) {
      initial |= key.endsWith("/" + INITIAL_PLAN);
      for (String item : IdList.fromBytes(store.get(key))) {
        upTo = Math.max(upTo, lastOffset(item));
      }
    }
    return new Planned(initial, upTo);
  }

  /** Whether the full pass has been written. */
  public boolean fullExists(String base) {
    return store.exists(base + IDS);
  }

  /**
   * Joins the items of every partition's first plan, partitions {@code 0..partitions-1} in order,
   * into the full pass — when every partition has its first plan, every item of them is done and
   * the full pass does not exist yet.
   *
   * @return where the full pass was written; empty when something is missing or it existed already
   */
  public Optional<StoredChunk> mergeWhenComplete(
      String base, int partitions, int embeddingDim, int classes) {
    List<String> items = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      Optional<List<String>> plan = initialPlan(base, p);
      if (plan.isEmpty()) {
        return Optional.empty();
      }
      items.addAll(plan.get());
    }
    Set<String> done = new HashSet<>();
    for (String key : store.listKeys(base + "items/")) {
      if (key.endsWith("/" + IDS)) {
        String item = key.substring((base + "items/").length(), key.length() - IDS.length() - 1);
        done.add(item);
      }
    }
    if (!done.containsAll(items) || fullExists(base)) {
      return Optional.empty();
    }
    List<CompletableFuture<Chunk>> reads = new ArrayList<>(items.size());
    for (String item : items) {
      reads.add(
          CompletableFuture.supplyAsync(() -> readItem(itemPrefix(base, item), classes), readers));
    }
    List<Chunk> chunks = new ArrayList<>(items.size());
    try {
      for (CompletableFuture<Chunk> r : reads) {
        chunks.add(r.join());
      }
    } catch (CompletionException e) {
      reads.forEach(r -> r.cancel(false));
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    StoredChunk full = write(base, Chunk.concat(chunks, embeddingDim, classes));
    forget(base);
    return Optional.of(full);
  }

  /**
   * A partition's first plan, read once: it never changes after it is written, and every stored
   * item of the pass asks for it.
   */
  private Optional<List<String>> initialPlan(String base, int partition) {
    String key = planPrefix(base, partition) + INITIAL_PLAN;
    List<String> known = initialPlans.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<List<String>> plan = store.find(key).map(IdList::fromBytes);
    plan.ifPresent(
        items -> {
          if (initialPlans.size() >= PLANS_KEPT) {
            initialPlans.clear();
          }
          initialPlans.put(key, List.copyOf(items));
        });
    return plan;
  }

  private static long firstOffset(String itemKey) {
    return Long.parseLong(itemKey.split("-")[1]);
  }

  private static long lastOffset(String itemKey) {
    return Long.parseLong(itemKey.split("-")[2]);
  }

  /** Reads a chunk written under {@code prefix}. */
  public Chunk read(String prefix, int classes) {
    List<String> ids = IdList.fromBytes(store.get(prefix + IDS));
    Matrix embeddings = Matrix.fromBytes(store.get(prefix + EMBEDDINGS));
    Matrix probabilities =
        classes == 0
            ? new Matrix(ids.size(), 0, new float[0])
            : Matrix.fromBytes(store.get(prefix + PROBABILITIES));
    return new Chunk(ids, embeddings, probabilities);
  }

  private StoredChunk write(String prefix, Chunk chunk) {
    MatrixRef embeddings =
        matrix(
            store.put(prefix + EMBEDDINGS, chunk.embeddings().toBytes(), Matrix.CONTENT_TYPE),
            chunk.embeddings());
    Optional<MatrixRef> probabilities =
        chunk.probabilities().cols() == 0
            ? Optional.empty()
            : Optional.of(
                matrix(
                    store.put(
                        prefix + PROBABILITIES,
                        chunk.probabilities().toBytes(),
                        Matrix.CONTENT_TYPE),
                    chunk.probabilities()));
    ObjectRef ids = store.put(prefix + IDS, IdList.toBytes(chunk.ids()), IdList.CONTENT_TYPE);
    return new StoredChunk(ids, embeddings, probabilities, chunk.ids().size());
  }

  private static MatrixRef matrix(ObjectRef object, Matrix m) {
    return MatrixRef.newBuilder().setObject(object).setRows(m.rows()).setCols(m.cols()).build();
  }

  /** A short name of a split for logs. */
  public static String describe(String modelId, String dataset, Split split, int partition) {
    return String.format(
        Locale.ROOT, "%s %s/%s p%d", modelId, dataset, splitName(split), partition);
  }
}
