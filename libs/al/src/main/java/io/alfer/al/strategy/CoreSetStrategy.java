package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.EmbeddingSpace;
import io.alfer.al.kernel.NearestCentreSearch;
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
 * <p>Exact, in O(n) memory, and fast in two ways. Each item's distance to the nearest labelled item
 * comes from {@link NearestCentreSearch}: dense, vectorised comparisons of items that lie near each
 * other with the labelled items the triangle inequality cannot rule out for them. The greedy steps
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
    int[] labelled = labelledRows(pool);
    // the squared distance to the nearest labelled item; an upper bound once picks are added
    double[] bound = NearestCentreSearch.squaredDistances(space, labelled);
    int[] rows = pool.unlabelledRows();
    List<Pick> picks = new ArrayList<>(count);
    int[] centres = new int[count];
    int added = 0;
    if (labelled.length == 0) {
      int first = rows[new SplittableRandom(seed).nextInt(rows.length)];
      picks.add(new Pick(pool.id(first), first, 0.0));
      centres[added++] = first;
    }
    LazyMaxHeap heap = new LazyMaxHeap(rows, bound, picks.isEmpty() ? -1 : picks.get(0).row());
    int[] checked = new int[pool.size()];
    double[] distances = new double[count];
    while (picks.size() < count) {
      int top = heap.top();
      if (checked[top] == added) {
        heap.pop();
        picks.add(new Pick(pool.id(top), top, Math.sqrt(bound[top])));
        centres[added++] = top;
        continue;
      }
      int since = added - checked[top];
      space.squaredDistances(top, centres, checked[top], since, distances);
      double d = bound[top];
      for (int c = 0; c < since; c++) {
        d = Math.min(d, distances[c]);
      }
      checked[top] = added;
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
