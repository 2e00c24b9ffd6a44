package io.alfer.embed.storage;

import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.MatrixRef;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Model outputs in object storage, under {@code embeddings/<model>/<dataset>/<split>/}:
 *
 * <ul>
 *   <li>{@code parts/p<k>/} — the rows of the images in partition k of {@code alfer.images},
 *       written by the replica that owns it;
 *   <li>{@code ids.txt}, {@code embeddings.f32}, {@code probabilities.f32} — the full pass, the
 *       parts joined in partition order once all exist;
 *   <li>{@code increments/p<k>-<offset>/} — images ingested after partition k's part was written
 *       ({@code offset}: the last {@code alfer.images} offset included).
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

  public EmbeddingStore(ObjectStore store) {
    this.store = store;
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

  static String partPrefix(String base, int partition) {
    return base + "parts/p" + partition + "/";
  }

  static String incrementsPrefix(String base, int partition) {
    return base + "increments/p" + partition + "-";
  }

  /** Writes partition {@code partition}'s part of the full pass. */
  public StoredChunk writePart(String base, int partition, Chunk chunk) {
    return write(partPrefix(base, partition), chunk);
  }

  /** Writes an increment of partition {@code partition} ending at {@code lastOffset}. */
  public StoredChunk writeIncrement(String base, int partition, long lastOffset, Chunk chunk) {
    return write(incrementsPrefix(base, partition) + lastOffset + "/", chunk);
  }

  /** The ids of partition {@code partition}'s part, when it is complete. */
  public Optional<List<String>> partIds(String base, int partition) {
    return store.find(partPrefix(base, partition) + IDS).map(IdList::fromBytes);
  }

  /** The ids of every complete increment of a partition. */
  public List<String> incrementIds(String base, int partition) {
    List<String> ids = new ArrayList<>();
    for (String key : store.listKeys(incrementsPrefix(base, partition))) {
      if (key.endsWith("/" + IDS)) {
        ids.addAll(IdList.fromBytes(store.get(key)));
      }
    }
    return ids;
  }

  /** Whether the full pass has been written. */
  public boolean fullExists(String base) {
    return store.exists(base + IDS);
  }

  /**
   * Joins the parts of partitions {@code 0..partitions-1} into the full pass, when every part is
   * complete and the full pass does not exist yet.
   *
   * @return where the full pass was written; empty when a part is missing or it existed already
   */
  public Optional<StoredChunk> mergeWhenComplete(
      String base, int partitions, int embeddingDim, int classes) {
    if (fullExists(base)) {
      return Optional.empty();
    }
    long complete =
        store.listKeys(base + "parts/").stream().filter(k -> k.endsWith("/" + IDS)).count();
    if (complete < partitions) {
      return Optional.empty();
    }
    List<Chunk> parts = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      parts.add(read(partPrefix(base, p), classes));
    }
    return Optional.of(write(base, Chunk.concat(parts, embeddingDim, classes)));
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
