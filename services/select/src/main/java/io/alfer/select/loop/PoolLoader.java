package io.alfer.select.loop;

import io.alfer.al.Input;
import io.alfer.al.LinearHead;
import io.alfer.al.Pool;
import io.alfer.al.campaign.CampaignRules;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.core.storage.ObjectStore;
import io.alfer.proto.v1.MatrixRef;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.PoolSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a strategy's {@link Pool} from what the other services stored in S3: the embed service's
 * id lists and matrices (full pass and increments, joined by image id, the first occurrence
 * winning), the classifier head ({@code ModelPublished.head}, c x (d+1)) and the DeepFool sizes
 * ({@code perturbations} + {@code perturbation_ids}). Rows are in {@link CampaignRules#poolOrder}.
 * Only the inputs the strategy needs are read.
 */
final class PoolLoader {
  private final ObjectStore store;

  PoolLoader(ObjectStore store) {
    this.store = store;
  }

  /** A stored object was missing or unreadable: the campaign cannot use it. */
  static final class Unusable extends RuntimeException {
    final String reason;

    Unusable(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  /**
   * What to build.
   *
   * @param sources the embedding matrices, full pass first
   * @param allowed ids that may be rows (the catalog's pool), or null for any
   * @param rows the exact rows (a recorded pool), or null to take every allowed id of the sources
   * @param labels labels of the labelled images (they are the labelled rows)
   * @param needs the inputs the strategy requires
   * @param model the model scored, for its head and DeepFool sizes (may be null if not needed)
   */
  record Request(
      List<PoolSource> sources,
      Set<String> allowed,
      List<String> rows,
      Map<String, Integer> labels,
      Set<Input> needs,
      ModelPublished model) {}

  /** The pool and its row ids. */
  record Loaded(Pool pool, String[] ids) {}

  /**
   * Reads and joins everything.
   *
   * @throws Unusable when an object is missing or malformed, or the recorded rows are not found
   * @throws io.alfer.core.storage.StorageException when S3 cannot be read (retry later)
   */
  Loaded load(Request q) {
    List<List<String>> sourceIds = new ArrayList<>();
    Map<String, long[]> where = new HashMap<>();
    for (int s = 0; s < q.sources().size(); s++) {
      List<String> ids = IdList.fromBytes(read(q.sources().get(s).getIds(), "embedding ids"));
      sourceIds.add(ids);
      for (int row = 0; row < ids.size(); row++) {
        where.putIfAbsent(ids.get(row), new long[] {s, row});
      }
    }
    Map<String, Float> perturbation =
        q.needs().contains(Input.PERTURBATIONS) ? perturbations(q.model()) : Map.of();
    String[] ids;
    if (q.rows() != null) {
      ids = q.rows().toArray(new String[0]);
      if (!q.sources().isEmpty()) {
        for (String id : ids) {
          if (!where.containsKey(id)) {
            throw new Unusable(
                "pool_changed", "image " + id + " of the recorded pool is in no recorded source");
          }
        }
      }
    } else {
      Collection<String> candidates =
          where.keySet().stream()
              .filter(id -> q.allowed() == null || q.allowed().contains(id))
              .filter(
                  id ->
                      !q.needs().contains(Input.PERTURBATIONS)
                          || q.labels().containsKey(id)
                          || perturbation.containsKey(id))
              .toList();
      ids = CampaignRules.poolOrder(candidates);
    }
    int n = ids.length;
    boolean[] labelled = new boolean[n];
    for (int i = 0; i < n; i++) {
      labelled[i] = q.labels().containsKey(ids[i]);
    }
    Pool.Builder b = Pool.builder(ids, labelled);
    if (q.needs().contains(Input.EMBEDDINGS)) {
      b.embeddings(
          join(q.sources(), sourceIds, where, ids, PoolSource::getEmbeddings, "embeddings"));
    }
    if (q.needs().contains(Input.PROBABILITIES)) {
      b.probabilities(
          join(q.sources(), sourceIds, where, ids, PoolSource::getProbabilities, "probabilities"));
    }
    if (q.needs().contains(Input.HEAD)) {
      b.head(head(q.model()));
    }
    if (q.needs().contains(Input.PERTURBATIONS)) {
      float[] sizes = new float[n];
      for (int i = 0; i < n; i++) {
        Float size = perturbation.get(ids[i]);
        sizes[i] = size == null ? Float.NaN : size;
      }
      b.perturbations(sizes);
    }
    if (q.needs().contains(Input.LABELS)) {
      int[] classes = new int[n];
      for (int i = 0; i < n; i++) {
        classes[i] = q.labels().getOrDefault(ids[i], -1);
      }
      b.labels(classes);
    }
    return new Loaded(b.build(), ids);
  }

  private io.alfer.al.Matrix join(
      List<PoolSource> sources,
      List<List<String>> sourceIds,
      Map<String, long[]> where,
      String[] ids,
      java.util.function.Function<PoolSource, MatrixRef> which,
      String what) {
    Matrix[] matrices = new Matrix[sources.size()];
    int cols = -1;
    for (int s = 0; s < sources.size(); s++) {
      MatrixRef ref = which.apply(sources.get(s));
      if (ref.getObject().getKey().isEmpty()) {
        throw new Unusable(
            "missing_" + what,
            "the embeddings " + sources.get(s).getIds().getKey() + " have no " + what);
      }
      Matrix m = matrix(ref.getObject(), what);
      if (m.rows() != sourceIds.get(s).size()) {
        throw new Unusable(
            "embeddings_unreadable",
            ref.getObject().getKey()
                + " has "
                + m.rows()
                + " rows for "
                + sourceIds.get(s).size()
                + " ids");
      }
      if (cols >= 0 && m.cols() != cols) {
        throw new Unusable(
            "embeddings_unreadable",
            what + " of the increments have " + m.cols() + " columns, the full pass " + cols);
      }
      cols = m.cols();
      matrices[s] = m;
    }
    if (cols <= 0) {
      throw new Unusable("missing_" + what, "no " + what + " to build the pool from");
    }
    float[] data = new float[ids.length * cols];
    for (int i = 0; i < ids.length; i++) {
      long[] at = where.get(ids[i]);
      Matrix m = matrices[(int) at[0]];
      System.arraycopy(m.values(), (int) at[1] * cols, data, i * cols, cols);
    }
    return new io.alfer.al.Matrix(data, ids.length, cols);
  }

  private LinearHead head(ModelPublished model) {
    if (model == null || model.getHead().getObject().getKey().isEmpty()) {
      throw new Unusable(
          "model_lacks_head",
          "model " + (model == null ? "?" : model.getModelId()) + " announces no classifier head");
    }
    Matrix m = matrix(model.getHead().getObject(), "head");
    if (m.cols() < 2) {
      throw new Unusable(
          "model_lacks_head",
          "the head of " + model.getModelId() + " is " + m.rows() + "x" + m.cols());
    }
    int d = m.cols() - 1;
    float[] weights = new float[m.rows() * d];
    float[] bias = new float[m.rows()];
    for (int k = 0; k < m.rows(); k++) {
      System.arraycopy(m.values(), k * m.cols(), weights, k * d, d);
      bias[k] = m.values()[k * m.cols() + d];
    }
    return new LinearHead(new io.alfer.al.Matrix(weights, m.rows(), d), bias);
  }

  private Map<String, Float> perturbations(ModelPublished model) {
    if (model == null
        || model.getPerturbations().getObject().getKey().isEmpty()
        || model.getPerturbationIds().getKey().isEmpty()) {
      throw new Unusable(
          "model_lacks_perturbations",
          "model "
              + (model == null ? "?" : model.getModelId())
              + " announces no DeepFool perturbations (was it fine-tuned with deepfool?)");
    }
    List<String> ids = IdList.fromBytes(read(model.getPerturbationIds(), "perturbation ids"));
    Matrix m = matrix(model.getPerturbations().getObject(), "perturbations");
    if (m.cols() != 1 || m.rows() != ids.size()) {
      throw new Unusable(
          "embeddings_unreadable",
          "perturbations of "
              + model.getModelId()
              + " are "
              + m.rows()
              + "x"
              + m.cols()
              + " for "
              + ids.size()
              + " ids");
    }
    Map<String, Float> out = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      out.putIfAbsent(ids.get(i), m.values()[i]);
    }
    return out;
  }

  private Matrix matrix(ObjectRef ref, String what) {
    byte[] bytes = read(ref, what);
    try {
      return Matrix.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw new Unusable("embeddings_unreadable", ref.getKey() + ": " + e.getMessage());
    }
  }

  private byte[] read(ObjectRef ref, String what) {
    Optional<byte[]> bytes = store.find(ref.getKey());
    if (bytes.isEmpty()) {
      throw new Unusable(
          "embeddings_missing", "the " + what + " object " + ref.getKey() + " is missing");
    }
    return bytes.get();
  }
}
