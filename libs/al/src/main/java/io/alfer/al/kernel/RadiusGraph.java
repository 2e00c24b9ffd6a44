package io.alfer.al.kernel;

import java.util.Arrays;

/**
 * The directed graph with an edge {@code i → j} whenever {@code ||x_i - x_j|| < radius} (self loops
 * included), keeping at most {@code maxNeighbours} nearest out-neighbours per point. Stored as
 * compressed rows, out-edges and in-edges; memory O(n · maxNeighbours).
 *
 * <p>Built without a point-by-point matrix: the points are partitioned by a k-means++ seeding into
 * about √n cells with known radii, and a point only scans the cells the triangle inequality cannot
 * rule out.
 */
public final class RadiusGraph {
  private final int[] outOffsets;
  private final int[] outTargets;
  private final int[] inOffsets;
  private final int[] inSources;

  private RadiusGraph(int[][] neighbours) {
    int n = neighbours.length;
    outOffsets = new int[n + 1];
    for (int i = 0; i < n; i++) {
      outOffsets[i + 1] = outOffsets[i] + neighbours[i].length;
    }
    outTargets = new int[outOffsets[n]];
    inOffsets = new int[n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(neighbours[i], 0, outTargets, outOffsets[i], neighbours[i].length);
      for (int j : neighbours[i]) {
        inOffsets[j + 1]++;
      }
    }
    for (int j = 0; j < n; j++) {
      inOffsets[j + 1] += inOffsets[j];
    }
    inSources = new int[outTargets.length];
    int[] fill = Arrays.copyOf(inOffsets, n);
    for (int i = 0; i < n; i++) {
      for (int j : neighbours[i]) {
        inSources[fill[j]++] = i;
      }
    }
  }

  /**
   * Builds the graph of the points {@code index} holds.
   *
   * @param radius edges join points strictly closer than this
   * @param maxNeighbours each point keeps at most this many nearest out-neighbours
   * @param probe how many cells, nearest to a point's own cell, it searches; at least {@code
   *     index.cellCount()} makes the graph exact
   */
  public static RadiusGraph build(CellIndex index, double radius, int maxNeighbours, int probe) {
    int n = index.space().size();
    int[][] neighbours = new int[n][];
    if (probe >= index.cellCount()) {
      Parallel.forChunks(
          n,
          256,
          (chunk, from, to) -> {
            long[] scratch = new long[index.cellCount()];
            Nearest nearest = new Nearest(radius, maxNeighbours);
            for (int i = from; i < to; i++) {
              nearest.clear();
              index.search(i, nearest, scratch);
              neighbours[i] = nearest.ids();
            }
          });
    } else {
      Parallel.forChunks(
          index.cellCount(),
          1,
          (cell, from, to) -> searchCell(index, cell, radius, maxNeighbours, probe, neighbours));
    }
    return new RadiusGraph(neighbours);
  }

  /**
   * Inverted-file search for every member of {@code cell} at once: they all look into the {@code
   * probe} cells nearest to their cell's centroid. Looping cell by cell keeps each searched cell's
   * rows in cache while all the members use them, so the search is compute-bound, not memory-bound.
   */
  private static void searchCell(
      CellIndex index, int cell, double radius, int cap, int probe, int[][] neighbours) {
    int[] members = index.members();
    int from = index.start(cell);
    int size = index.start(cell + 1) - from;
    Nearest[] nearest = new Nearest[size];
    for (int q = 0; q < size; q++) {
      nearest[q] = new Nearest(radius, cap);
    }
    EmbeddingSpace space = index.space();
    for (int b : index.nearestCells(cell, probe)) {
      int bFrom = index.start(b);
      int bTo = index.start(b + 1);
      for (int q = 0; q < size; q++) {
        int i = members[from + q];
        Nearest visitor = nearest[q];
        if (index.toCentroid(i, b) - index.radius(b) >= visitor.bound()) {
          continue;
        }
        for (int m = bFrom; m < bTo; m++) {
          int j = members[m];
          visitor.visit(j, j == i ? 0.0 : Math.sqrt(space.squaredDistance(i, j)));
        }
      }
    }
    for (int q = 0; q < size; q++) {
      neighbours[members[from + q]] = nearest[q].ids();
    }
  }

  public int size() {
    return outOffsets.length - 1;
  }

  /** Out-neighbours of {@code i}: {@code outTargets()[outStart(i) .. outStart(i + 1))}. */
  public int[] outTargets() {
    return outTargets;
  }

  public int outStart(int i) {
    return outOffsets[i];
  }

  /** Points with an edge into {@code j}: {@code inSources()[inStart(j) .. inStart(j + 1))}. */
  public int[] inSources() {
    return inSources;
  }

  public int inStart(int j) {
    return inOffsets[j];
  }

  /** Total number of edges. */
  public long edges() {
    return outTargets.length;
  }

  /** The at most {@code cap} nearest points within the radius: a max-heap on distance. */
  private static final class Nearest implements CellIndex.Visitor {
    private final double radius;
    private final int[] ids;
    private final double[] distances;
    private int size;

    Nearest(double radius, int cap) {
      this.radius = radius;
      this.ids = new int[cap];
      this.distances = new double[cap];
    }

    void clear() {
      size = 0;
    }

    @Override
    public double bound() {
      return size == ids.length ? Math.min(radius, distances[0]) : radius;
    }

    @Override
    public void visit(int point, double distance) {
      if (distance >= bound()) {
        return;
      }
      if (size < ids.length) {
        ids[size] = point;
        distances[size] = distance;
        siftUp(size++);
      } else {
        ids[0] = point;
        distances[0] = distance;
        siftDown();
      }
    }

    /** The kept points, ascending. */
    int[] ids() {
      int[] out = Arrays.copyOf(ids, size);
      Arrays.sort(out);
      return out;
    }

    private void siftUp(int i) {
      while (i > 0 && distances[(i - 1) / 2] < distances[i]) {
        swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
      }
    }

    private void siftDown() {
      int i = 0;
      while (true) {
        int largest = i;
        for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
          if (distances[child] > distances[largest]) {
            largest = child;
          }
        }
        if (largest == i) {
          return;
        }
        swap(i, largest);
        i = largest;
      }
    }

    private void swap(int a, int b) {
      int id = ids[a];
      ids[a] = ids[b];
      ids[b] = id;
      double d = distances[a];
      distances[a] = distances[b];
      distances[b] = d;
    }
  }
}
