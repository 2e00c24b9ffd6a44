package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.EmbeddingSpace;
import io.alfer.al.kernel.NearestCentres;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code coreset}: k-center greedy on the embeddings (Sener &amp; Savarese 2018). The labelled
 * items are the initial centres; each step takes the unlabelled item farthest (Euclidean) from its
 * nearest centre and makes it a centre; ties go to the lower row. With no labelled item the first
 * centre is a seeded uniform draw. Score = the item's distance to its nearest centre when it was
 * chosen (0 for a drawn first centre). No parameters.
 *
 * <p>Exact, in O(n) memory, and fast in two ways. The labelled centres update the distances through
 * {@link NearestCentres}, which skips the rows the triangle inequality rules out. The greedy steps
 * are lazy: a max-heap holds each candidate's distance as of the last time it was brought up to
 * date; distances only shrink, so a stale value is an upper bound, and the top is refreshed
 * (against only the centres added since) until the top is current: that top is the exact farthest
 * item. Most rows are never refreshed.
 */
public final class CoreSetStrategy extends BaseStrategy {
  public CoreSetStrategy(Parameters parameters) {
    super("coreset", parameters, Set.of(Input.EMBEDDINGS));
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    EmbeddingSpace space = new EmbeddingSpace(pool.embeddings());
    NearestCentres labelledCentres = new NearestCentres(space);
    labelledCentres.addAll(spreadOrder(space, labelledRows(pool)));
    int[] rows = pool.unlabelledRows();
    double[] bound = new double[pool.size()];
    for (int row : rows) {
      bound[row] = labelledCentres.minSquaredDistance(row);
    }
    List<Pick> picks = new ArrayList<>(count);
    List<Integer> centres = new ArrayList<>(count);
    if (labelledCentres.count() == 0) {
      int first = rows[new SplittableRandom(seed).nextInt(rows.length)];
      picks.add(new Pick(pool.id(first), first, 0.0));
      centres.add(first);
    }
    LazyMaxHeap heap = new LazyMaxHeap(rows, bound, picks.isEmpty() ? -1 : picks.get(0).row());
    int[] checked = new int[pool.size()];
    while (picks.size() < count) {
      int top = heap.top();
      if (checked[top] == centres.size()) {
        heap.pop();
        picks.add(new Pick(pool.id(top), top, Math.sqrt(bound[top])));
        centres.add(top);
        continue;
      }
      double d = bound[top];
      for (int c = checked[top]; c < centres.size(); c++) {
        d = Math.min(d, space.squaredDistance(top, centres.get(c)));
      }
      checked[top] = centres.size();
      bound[top] = d;
      heap.topDecreased();
    }
    return picks;
  }

  private static int[] labelledRows(Pool pool) {
    int[] rows = new int[pool.labelledCount()];
    for (int row = 0, k = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        rows[k++] = row;
      }
    }
    return rows;
  }

  /**
   * {@code rows} in farthest-first order among themselves (O(|rows|²) distances): adding centres
   * far apart first makes each point's nearest centre close early, so the triangle inequality rules
   * out more rows for the later centres.
   */
  private static int[] spreadOrder(EmbeddingSpace space, int[] rows) {
    int m = rows.length;
    double[] distance = new double[m];
    java.util.Arrays.fill(distance, Double.POSITIVE_INFINITY);
    int[] order = new int[m];
    boolean[] used = new boolean[m];
    int next = 0;
    for (int k = 0; k < m; k++) {
      order[k] = rows[next];
      used[next] = true;
      int centre = rows[next];
      int farthest = -1;
      for (int j = 0; j < m; j++) {
        if (!used[j]) {
          distance[j] = Math.min(distance[j], space.squaredDistance(rows[j], centre));
          if (farthest < 0 || distance[j] > distance[farthest]) {
            farthest = j;
          }
        }
      }
      next = farthest;
    }
    return order;
  }

  /** A binary max-heap of rows ordered by (bound descending, row ascending). */
  private static final class LazyMaxHeap {
    private final int[] heap;
    private final double[] bound;
    private int size;

    LazyMaxHeap(int[] rows, double[] bound, int skip) {
      this.bound = bound;
      this.heap = new int[rows.length];
      for (int row : rows) {
        if (row != skip) {
          heap[size++] = row;
        }
      }
      for (int i = size / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
    }

    int top() {
      return heap[0];
    }

    void pop() {
      heap[0] = heap[--size];
      siftDown(0);
    }

    void topDecreased() {
      siftDown(0);
    }

    private boolean above(int a, int b) {
      return bound[a] > bound[b] || (bound[a] == bound[b] && a < b);
    }

    private void siftDown(int i) {
      while (true) {
        int left = 2 * i + 1;
        if (left >= size) {
          return;
        }
        int best = left;
        if (left + 1 < size && above(heap[left + 1], heap[left])) {
          best = left + 1;
        }
        if (!above(heap[best], heap[i])) {
          return;
        }
        int t = heap[i];
        heap[i] = heap[best];
        heap[best] = t;
        i = best;
      }
    }
  }
}
