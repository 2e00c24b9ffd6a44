package io.alfer.al.kernel;

import java.util.Arrays;

/**
 * The directed graph with an edge {@code i → j} whenever {@code ||x_i - x_j|| < radius} (self loops
 * included), keeping at most {@code maxNeighbours} nearest out-neighbours per point. Only out-edges
 * are stored, as one int array per cell of the index (the lists of the cell's members, one after
 * the other) plus an offset and a length per point: memory is 4 bytes an edge plus 8 a point, and
 * no array is copied into a second one once built.
 *
 * <p>Built without a point-by-point matrix, cell by cell: the members of a cell look into the
 * {@code probe} cells whose centroids are nearest to their cell's (an inverted-file search; exact
 * when {@code probe} covers every cell), skipping a cell when the triangle inequality puts all of
 * it beyond what they still need. A searched cell's rows stay in cache while all the members use
 * them, and each member's distances to a cell are computed together ({@link
 * GramSpace#squaredDistances}).
 */
public final class RadiusGraph {
  private final int[][] blocks;
  private final int[] cellOf;
  private final int[] start;
  private final int[] degree;

  private RadiusGraph(int[][] blocks, int[] cellOf, int[] start, int[] degree) {
    this.blocks = blocks;
    this.cellOf = cellOf;
    this.start = start;
    this.degree = degree;
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
    int cells = index.cellCount();
    int[][] blocks = new int[cells][];
    int[] cellOf = new int[n];
    int[] start = new int[n];
    int[] degree = new int[n];
    // a few tasks per thread, each with its own buffers (the cells' lists do not depend on it)
    int perTask = Math.max(1, cells / (8 * Runtime.getRuntime().availableProcessors()));
    Parallel.forChunks(
        cells,
        perTask,
        (chunk, from, to) -> {
          Search search = new Search(index, radius, maxNeighbours, Math.min(probe, cells));
          for (int cell = from; cell < to; cell++) {
            blocks[cell] = search.cell(cell, cellOf, start, degree);
          }
        });
    return new RadiusGraph(blocks, cellOf, start, degree);
  }

  /** The inverted-file search of one cell after another, with buffers made once. */
  private static final class Search {
    private final CellIndex index;
    private final double squaredRadius;
    private final int cap;
    private final int probe;
    private final Tile tile;
    private final float[] scratch;
    private final double[] distances;
    private final Nearest[] nearest;
    private final double[][] toCentroids;

    Search(CellIndex index, double radius, int cap, int probe) {
      this.index = index;
      this.squaredRadius = radius * radius;
      this.cap = cap;
      this.probe = probe;
      int largest = index.largestCell();
      tile = index.space().newTile(largest);
      scratch = new float[largest];
      distances = new double[largest];
      nearest = new Nearest[largest];
      toCentroids = new double[largest][probe];
    }

    /**
     * The out-lists of every member of {@code cell}, concatenated; fills in the members' {@code
     * cellOf}, {@code start} and {@code degree}.
     */
    int[] cell(int cell, int[] cellOf, int[] start, int[] degree) {
      int[] members = index.members();
      int from = index.start(cell);
      int size = index.start(cell + 1) - from;
      int[] searched = index.nearestCells(cell, probe);
      for (int q = 0; q < size; q++) {
        if (nearest[q] == null) {
          nearest[q] = new Nearest(squaredRadius, cap);
        }
        index.toCentroids(members[from + q], searched, searched.length, toCentroids[q]);
      }
      EmbeddingSpace space = index.space();
      for (int s = 0; s < searched.length; s++) {
        int b = searched[s];
        int bFrom = index.start(b);
        int bSize = index.start(b + 1) - bFrom;
        boolean loaded = false;
        for (int q = 0; q < size; q++) {
          int i = members[from + q];
          Nearest visitor = nearest[q];
          double lower = toCentroids[q][s] - index.radius(b);
          if (lower > 0 && lower * lower >= visitor.bound()) {
            continue;
          }
          if (!loaded) {
            space.loadTile(tile, members, bFrom, bSize);
            loaded = true;
          }
          space.squaredDistances(i, tile, scratch, distances);
          for (int m = 0; m < bSize; m++) {
            int j = members[bFrom + m];
            visitor.visit(j, j == i ? 0.0 : distances[m]);
          }
        }
      }
      int total = 0;
      for (int q = 0; q < size; q++) {
        total += nearest[q].count();
      }
      int[] block = new int[total];
      int at = 0;
      for (int q = 0; q < size; q++) {
        int i = members[from + q];
        cellOf[i] = cell;
        start[i] = at;
        at = nearest[q].drainSorted(block, at);
        degree[i] = at - start[i];
      }
      return block;
    }
  }

  public int size() {
    return degree.length;
  }

  /** Number of out-neighbours of {@code i}. */
  public int outDegree(int i) {
    return degree[i];
  }

  /**
   * The array holding {@code i}'s out-neighbours, ascending, at {@code [outStart(i), outStart(i) +
   * outDegree(i))}.
   */
  public int[] outTargets(int i) {
    return blocks[cellOf[i]];
  }

  public int outStart(int i) {
    return start[i];
  }

  /** Total number of edges. */
  public long edges() {
    long edges = 0;
    for (int[] block : blocks) {
      edges += block.length;
    }
    return edges;
  }

  /**
   * The at most {@code cap} nearest points within the radius (ties broken by the lower point, so
   * the outcome does not depend on the visiting order). Candidates closer than the bound are
   * appended; when {@code 2 · cap} have piled up, the {@code cap} nearest are kept (a quickselect)
   * and the bound drops to the farthest of them: O(1) amortised per visit.
   */
  private static final class Nearest {
    private final double squaredRadius;
    private final int cap;
    private final int[] ids;
    private final double[] distances;
    private int size;
    private double bound;

    Nearest(double squaredRadius, int cap) {
      this.squaredRadius = squaredRadius;
      this.cap = cap;
      this.ids = new int[2 * cap];
      this.distances = new double[2 * cap];
      this.bound = squaredRadius;
    }

    /** Only points strictly closer (squared) than this can still be kept. */
    double bound() {
      return bound;
    }

    void visit(int point, double squaredDistance) {
      if (squaredDistance > bound || squaredDistance >= squaredRadius) {
        return;
      }
      ids[size] = point;
      distances[size] = squaredDistance;
      if (++size == ids.length) {
        keepNearest();
      }
    }

    /** Keeps the {@code cap} nearest of the candidates; the bound becomes the farthest kept. */
    private void keepNearest() {
      select(0, size - 1, cap - 1);
      size = cap;
      double farthest = 0;
      for (int k = 0; k < size; k++) {
        farthest = Math.max(farthest, distances[k]);
      }
      bound = farthest;
    }

    /** Writes the kept points, ascending, into {@code out} from {@code at}; returns the end. */
    int drainSorted(int[] out, int at) {
      if (size > cap) {
        keepNearest();
      }
      System.arraycopy(ids, 0, out, at, size);
      Arrays.sort(out, at, at + size);
      int end = at + size;
      size = 0;
      bound = squaredRadius;
      return end;
    }

    /** Number of points kept (valid after {@link #drainSorted}). */
    int count() {
      return Math.min(size, cap);
    }

    /** Puts the k-th smallest (distance, id) at {@code k}, smaller ones before it (quickselect). */
    private void select(int lo, int hi, int k) {
      while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double pivotDistance = distances[mid];
        int pivotId = ids[mid];
        int i = lo;
        int j = hi;
        while (i <= j) {
          while (before(i, pivotDistance, pivotId)) {
            i++;
          }
          while (after(j, pivotDistance, pivotId)) {
            j--;
          }
          if (i <= j) {
            swap(i++, j--);
          }
        }
        if (k <= j) {
          hi = j;
        } else if (k >= i) {
          lo = i;
        } else {
          return;
        }
      }
    }

    private boolean before(int a, double distance, int id) {
      return distances[a] < distance || (distances[a] == distance && ids[a] < id);
    }

    private boolean after(int a, double distance, int id) {
      return distances[a] > distance || (distances[a] == distance && ids[a] > id);
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
