package io.alfer.al.kernel;

import io.alfer.al.Matrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A neighbour-search index without any point-by-point matrix: the points are partitioned into about
 * √n cells by k-means (centroids started at random points, so cell sizes follow the data's density,
 * then a few Lloyd rounds), each cell with its centroid and radius. Memory is O(n) plus the cells'
 * centroids and centroid-to-centroid distances (about n values).
 *
 * <p>{@link #search} is exact: it visits cells nearest-first by a triangle-inequality lower bound
 * and stops at the first that cannot hold a point within the caller's bound. In high dimensions
 * those bounds prune little; {@link #nearestCells} supports the inverted-file approximation that
 * only looks into the cells with the nearest centroids.
 */
public final class CellIndex {
  private static final int LLOYD_ROUNDS = 2;

  private final Matrix points;
  private final EmbeddingSpace space;
  private final float[] centroids;
  private final double[] centroidNorms;
  private final int[] cellOf;
  private final double[] toCentroid;
  private final int[] offsets;
  private final int[] members;
  private final double[] radius;
  private final double[] centroidDistance;

  private CellIndex(Matrix points, Lloyd.Result cells) {
    this.points = points;
    this.space = new EmbeddingSpace(points);
    this.centroids = cells.centroids();
    this.cellOf = cells.assignment();
    this.toCentroid = cells.distance();
    int d = points.cols();
    int k = centroids.length / d;
    int n = points.rows();
    centroidNorms = new double[k];
    for (int c = 0; c < k; c++) {
      centroidNorms[c] = Vectors.squaredNorm(centroids, c * d, d);
    }
    offsets = new int[k + 1];
    radius = new double[k];
    for (int i = 0; i < n; i++) {
      offsets[cellOf[i] + 1]++;
      radius[cellOf[i]] = Math.max(radius[cellOf[i]], toCentroid[i]);
    }
    for (int c = 0; c < k; c++) {
      offsets[c + 1] += offsets[c];
    }
    members = new int[n];
    int[] fill = Arrays.copyOf(offsets, k);
    for (int i = 0; i < n; i++) {
      members[fill[cellOf[i]]++] = i;
    }
    centroidDistance = new double[k * k];
    Parallel.forChunks(
        k,
        8,
        (chunk, from, to) -> {
          for (int a = from; a < to; a++) {
            for (int b = 0; b < k; b++) {
              double dot = Vectors.dot(centroids, a * d, centroids, b * d, d);
              centroidDistance[a * k + b] =
                  Math.sqrt(Math.max(0.0, centroidNorms[a] + centroidNorms[b] - 2.0 * dot));
            }
          }
        });
  }

  /** Indexes the rows of {@code points} in {@code ceil(√n)} cells. */
  public static CellIndex build(Matrix points, SplittableRandom random) {
    int n = points.rows();
    int k = (int) Math.ceil(Math.sqrt(n));
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float[] start = Lloyd.rows(points, Arrays.copyOf(order, k));
    return new CellIndex(points, Lloyd.run(points, start, LLOYD_ROUNDS));
  }

  /** The indexed points. */
  public EmbeddingSpace space() {
    return space;
  }

  public int cellCount() {
    return offsets.length - 1;
  }

  /** The cell {@code point} belongs to. */
  public int cellOf(int point) {
    return cellOf[point];
  }

  /** Radius of {@code cell}: the largest distance from its centroid to a member. */
  public double radius(int cell) {
    return radius[cell];
  }

  /** The {@code probe} cells whose centroids are nearest to {@code cell}'s, itself first. */
  public int[] nearestCells(int cell, int probe) {
    int k = cellCount();
    long[] keys = new long[k];
    for (int b = 0; b < k; b++) {
      keys[b] = key(b == cell ? 0.0 : centroidDistance[cell * k + b], b);
    }
    Arrays.sort(keys);
    int[] nearest = new int[Math.min(probe, k)];
    for (int s = 0; s < nearest.length; s++) {
      nearest[s] = (int) keys[s];
    }
    return nearest;
  }

  /** Euclidean distance from {@code point} to {@code cell}'s centroid. */
  public double toCentroid(int point, int cell) {
    int d = points.cols();
    double dot = Vectors.dot(points.data(), point * d, centroids, cell * d, d);
    return Math.sqrt(Math.max(0.0, space.squaredNorm(point) + centroidNorms[cell] - 2.0 * dot));
  }

  /** Members of {@code cell}: {@code members()[start(cell) .. start(cell + 1))}. */
  public int[] members() {
    return members;
  }

  public int start(int cell) {
    return offsets[cell];
  }

  /** What a search reports to and asks of its caller. */
  public interface Visitor {
    /** Only points strictly closer than this matter (it may shrink as points are visited). */
    double bound();

    /** A point of a visited cell (the query itself included) at Euclidean {@code distance}. */
    void visit(int point, double distance);
  }

  /**
   * Visits every point that may lie within {@code visitor.bound()} of point {@code query}, and
   * possibly some farther ones: exact. {@code scratch} must hold {@link #cellCount()} values.
   */
  public void search(int query, Visitor visitor, long[] scratch) {
    int k = cellCount();
    int own = cellOf[query];
    for (int b = 0; b < k; b++) {
      double lower =
          Math.max(0.0, Math.abs(centroidDistance[own * k + b] - toCentroid[query]) - radius[b]);
      scratch[b] = key(lower, b);
    }
    Arrays.sort(scratch, 0, k);
    for (int s = 0; s < k; s++) {
      if (Float.intBitsToFloat((int) (scratch[s] >>> 32)) >= visitor.bound()) {
        return;
      }
      int b = (int) scratch[s];
      if (toCentroid(query, b) - radius[b] < visitor.bound()) {
        scan(query, b, visitor);
      }
    }
  }

  private void scan(int query, int cell, Visitor visitor) {
    for (int m = offsets[cell]; m < offsets[cell + 1]; m++) {
      int j = members[m];
      visitor.visit(j, j == query ? 0.0 : Math.sqrt(space.squaredDistance(query, j)));
    }
  }

  /** A sortable key: a non-negative distance rounded down to a float, then the cell. */
  private static long key(double distance, int cell) {
    float rounded = (float) distance;
    if (rounded > distance) {
      rounded = Math.nextDown(rounded);
    }
    return ((long) Float.floatToIntBits(rounded) << 32) | cell;
  }
}
