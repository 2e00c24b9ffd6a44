package io.alfer.al;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The pool a strategy selects from: item ids, which of them are labelled, and whatever per-item
 * data the strategies need. Row {@code i} of every matrix belongs to {@code ids[i]}. Only the
 * inputs a strategy {@linkplain SelectionStrategy#requires() requires} have to be present.
 *
 * <p>Build one with {@link #builder(String[], boolean[])}.
 */
public final class Pool {
  private final String[] ids;
  private final boolean[] labelled;
  private final Matrix embeddings;
  private final Matrix probabilities;
  private final LinearHead head;
  private final float[] perturbations;
  private final int[] labels;
  private final int[] unlabelledRows;

  private Pool(Builder b) {
    this.ids = b.ids;
    this.labelled = b.labelled;
    this.embeddings = b.embeddings;
    this.probabilities = b.probabilities;
    this.head = b.head;
    this.perturbations = b.perturbations;
    this.labels = b.labels;
    int n = ids.length;
    int count = 0;
    for (boolean l : labelled) {
      count += l ? 0 : 1;
    }
    unlabelledRows = new int[count];
    for (int i = 0, k = 0; i < n; i++) {
      if (!labelled[i]) {
        unlabelledRows[k++] = i;
      }
    }
  }

  /**
   * Starts a pool of {@code ids.length} items.
   *
   * @param ids distinct item ids
   * @param labelled {@code labelled[i]} is true when {@code ids[i]} already has a label
   */
  public static Builder builder(String[] ids, boolean[] labelled) {
    return new Builder(ids, labelled);
  }

  /** Number of items, labelled or not. */
  public int size() {
    return ids.length;
  }

  public String id(int row) {
    return ids[row];
  }

  public boolean isLabelled(int row) {
    return labelled[row];
  }

  /** Rows of the unlabelled items, ascending. The array is shared: do not modify it. */
  public int[] unlabelledRows() {
    return unlabelledRows;
  }

  public int labelledCount() {
    return ids.length - unlabelledRows.length;
  }

  /** Embeddings (n × d) or {@code null}. */
  public Matrix embeddings() {
    return embeddings;
  }

  /** Class probabilities (n × c) or {@code null}. */
  public Matrix probabilities() {
    return probabilities;
  }

  /** The classifier head or {@code null}. */
  public LinearHead head() {
    return head;
  }

  /** DeepFool minimal perturbation sizes (n; NaN allowed for labelled items) or {@code null}. */
  public float[] perturbations() {
    return perturbations;
  }

  /** Class index per item, meaningful for labelled items only, or {@code null}. */
  public int[] labels() {
    return labels;
  }

  /** The inputs this pool carries. */
  public Set<Input> available() {
    Set<Input> present = EnumSet.noneOf(Input.class);
    if (embeddings != null) {
      present.add(Input.EMBEDDINGS);
    }
    if (probabilities != null) {
      present.add(Input.PROBABILITIES);
    }
    if (head != null) {
      present.add(Input.HEAD);
    }
    if (perturbations != null) {
      present.add(Input.PERTURBATIONS);
    }
    if (labels != null) {
      present.add(Input.LABELS);
    }
    return present;
  }

  /** Collects a pool's inputs and checks their shapes agree. */
  public static final class Builder {
    private final String[] ids;
    private final boolean[] labelled;
    private Matrix embeddings;
    private Matrix probabilities;
    private LinearHead head;
    private float[] perturbations;
    private int[] labels;

    private Builder(String[] ids, boolean[] labelled) {
      Objects.requireNonNull(ids, "ids");
      Objects.requireNonNull(labelled, "labelled");
      if (ids.length != labelled.length) {
        throw new IllegalArgumentException(
            "pool has " + ids.length + " ids but " + labelled.length + " labelled flags");
      }
      Set<String> seen = new HashSet<>(ids.length * 2);
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == null) {
          throw new IllegalArgumentException("pool id at row " + i + " is null");
        }
        if (!seen.add(ids[i])) {
          throw new IllegalArgumentException("pool id '" + ids[i] + "' appears twice");
        }
      }
      this.ids = ids;
      this.labelled = labelled;
    }

    public Builder embeddings(Matrix embeddings) {
      checkRows("embeddings", embeddings.rows());
      this.embeddings = embeddings;
      return this;
    }

    /** Class probabilities; each row must be finite, non-negative and sum to 1 (±0.001). */
    public Builder probabilities(Matrix probabilities) {
      checkRows("probabilities", probabilities.rows());
      float[] p = probabilities.data();
      for (int i = 0; i < p.length; i++) {
        if (!(p[i] >= 0f) || Float.isInfinite(p[i])) {
          throw new IllegalArgumentException(
              "probability at row "
                  + i / probabilities.cols()
                  + ", class "
                  + i % probabilities.cols()
                  + " is "
                  + p[i]
                  + "; probabilities must be finite and >= 0");
        }
      }
      int c = probabilities.cols();
      for (int row = 0; row < probabilities.rows(); row++) {
        double sum = 0;
        for (int k = 0; k < c; k++) {
          sum += p[row * c + k];
        }
        if (Math.abs(sum - 1.0) > 1e-3) {
          throw new IllegalArgumentException(
              "probabilities of '" + ids[row] + "' sum to " + sum + ", not 1");
        }
      }
      this.probabilities = probabilities;
      return this;
    }

    public Builder head(LinearHead head) {
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    public Builder perturbations(float[] perturbations) {
      checkRows("perturbations", perturbations.length);
      this.perturbations = perturbations;
      return this;
    }

    /** Labels of the labelled items (any value, e.g. -1, for unlabelled ones). */
    public Builder labels(int[] labels) {
      checkRows("labels", labels.length);
      this.labels = labels;
      return this;
    }

    /**
     * Checks cross-input shapes and builds the pool.
     *
     * @throws IllegalArgumentException if the head does not fit the embeddings or probabilities
     */
    public Pool build() {
      if (head != null && embeddings != null && head.dimension() != embeddings.cols()) {
        throw new IllegalArgumentException(
            "head expects embeddings of dimension "
                + head.dimension()
                + " but embeddings have "
                + embeddings.cols());
      }
      if (head != null && probabilities != null && head.classes() != probabilities.cols()) {
        throw new IllegalArgumentException(
            "head has "
                + head.classes()
                + " classes but probabilities have "
                + probabilities.cols());
      }
      return new Pool(this);
    }

    private void checkRows(String what, int rows) {
      if (rows != ids.length) {
        throw new IllegalArgumentException(
            what + " have " + rows + " rows but the pool has " + ids.length + " ids");
      }
    }
  }

  @Override
  public String toString() {
    return "Pool[size="
        + ids.length
        + ", labelled="
        + labelledCount()
        + ", inputs="
        + available()
        + ", first ids="
        + Arrays.toString(Arrays.copyOf(ids, Math.min(3, ids.length)))
        + "]";
  }
}
