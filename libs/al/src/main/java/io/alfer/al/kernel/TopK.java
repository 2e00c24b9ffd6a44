package io.alfer.al.kernel;

/** Picks the {@code k} highest-scoring rows without sorting the whole pool. */
public final class TopK {
  private TopK() {}

  /**
   * The {@code k} rows of {@code rows} with the largest {@code score[row]}, best first; ties go to
   * the lower row. NaN scores rank below every number.
   */
  public static int[] largest(double[] score, int[] rows, int k) {
    if (k > rows.length || k < 0) {
      throw new IllegalArgumentException("cannot take " + k + " of " + rows.length + " rows");
    }
    // min-heap of the best k seen so far; its root is the worst of them
    int[] heap = new int[k];
    int size = 0;
    for (int row : rows) {
      if (size < k) {
        heap[size] = row;
        siftUp(heap, size++, score);
      } else if (k > 0 && better(row, heap[0], score)) {
        heap[0] = row;
        siftDown(heap, size, score);
      }
    }
    int[] out = new int[k];
    for (int i = k - 1; i >= 0; i--) {
      out[i] = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, size, score);
    }
    return out;
  }

  /** True when {@code a} ranks before {@code b}: higher score, then lower row. */
  static boolean better(int a, int b, double[] score) {
    double sa = Double.isNaN(score[a]) ? Double.NEGATIVE_INFINITY : score[a];
    double sb = Double.isNaN(score[b]) ? Double.NEGATIVE_INFINITY : score[b];
    return sa > sb || (sa == sb && a < b);
  }

  private static void siftUp(int[] heap, int i, double[] score) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!better(heap[parent], heap[i], score)) {
        break;
      }
      swap(heap, i, parent);
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, double[] score) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int worst = left;
      int right = left + 1;
      if (right < size && better(heap[left], heap[right], score)) {
        worst = right;
      }
      if (!better(heap[i], heap[worst], score)) {
        return;
      }
      swap(heap, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] heap, int i, int j) {
    int t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  }
}
