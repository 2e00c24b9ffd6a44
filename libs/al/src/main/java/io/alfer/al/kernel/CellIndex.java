package io.alfer.al.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A neighbour-search index without any point-by-point matrix: the points are partitioned into cells
 * of at most about {@value #MAX_CELL} points (about √n cells up to n = {@value #MAX_CELL}², then n
 * / {@value #MAX_CELL}), each cell with its centroid and radius. Memory is O(n) plus the centroids.
 *
 * <p>The cells come from a two-level k-means, so that building them costs O(n·√cells·d) rather than
 * O(n·cells·d): about √cells coarse clusters (centroids started at seeded random points, then a few
 * Lloyd rounds), then each coarse cluster split the same way into cells in proportion to its size.
 * Cell sizes follow the data's density.
 *
 * <p>{@link #nearestCells} supports the inverted-file search that only looks into the cells with
 * the nearest centroids; {@link #toCentroid} minus {@link #radius} bounds from below the distance
 * from a point to every member of a cell.
 */
public final class CellIndex {
  /** Largest cell size aimed at: cells hold about min(√n, this) points. */
  public static final int MAX_CELL = 512;

  private static final int LLOYD_ROUNDS = 2;

  private final EmbeddingSpace space;
  private final float[] centroids;
  private final double[] centroidNorms;
  private final int[] cellOf;
  private final double[] toCentroid;
  private final int[] offsets;
  private final int[] members;
  private final double[] radius;

  private CellIndex(EmbeddingSpace space, float[] centroids, int[] cellOf, double[] toCentroid) {
    this.space = space;
    this.centroids = centroids;
    this.cellOf = cellOf;
    this.toCentroid = toCentroid;
    int d = space.dim();
    int k = centroids.length / d;
    int n = space.size();
    centroidNorms = new double[k];
    Dots.squaredNorms(centroids, d, null, 0, k, centroidNorms);
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
  }

  /** Indexes the points of {@code space}; see the class comment. */
  public static CellIndex build(EmbeddingSpace space, SplittableRandom random) {
    int n = space.size();
    Builder builder = new Builder(space, random);
    builder.split(identity(n), (int) Math.ceil(Math.sqrt(builder.cells)), 0);
    return new CellIndex(space, builder.centroids(), builder.cellOf, builder.toCentroid);
  }

  /** The recursive k-means split behind {@link #build}. */
  private static final class Builder {
    private static final int MAX_DEPTH = 4;

    final EmbeddingSpace space;
    final SplittableRandom random;
    final int n;
    final int cells;
    final double target;
    final int[] cellOf;
    final double[] toCentroid;
    private float[] centroids = new float[0];
    private int count;

    Builder(EmbeddingSpace space, SplittableRandom random) {
      this.space = space;
      this.random = random;
      this.n = space.size();
      this.cells = (int) Math.ceil(Math.max(Math.sqrt(n), n / (double) MAX_CELL));
      this.target = (double) n / cells;
      this.cellOf = new int[n];
      this.toCentroid = new double[n];
    }

    /**
     * Splits {@code points} into {@code parts} by k-means; then, at depth 0 (the coarse level),
     * each part into cells in proportion to its size, and deeper, each part still more than twice
     * the target size again, until the parts are cells.
     */
    void split(int[] points, int parts, int depth) {
      parts = Math.max(1, Math.min(parts, points.length));
      Lloyd.Result result =
          Lloyd.run(space, points, Lloyd.rows(space, sample(points, parts, random)), LLOYD_ROUNDS);
      int[][] groups = group(result.assignment(), parts);
      int d = space.dim();
      for (int g = 0; g < parts; g++) {
        int[] members = groups[g];
        if (members.length == 0) {
          continue;
        }
        int wanted =
            depth == 0
                ? (int) Math.round(cells * (double) members.length / n)
                : (int) Math.ceil(members.length / target);
        boolean small = depth > 0 && members.length <= 2 * target;
        if (wanted > 1 && !small && depth < MAX_DEPTH) {
          int[] rows = new int[members.length];
          for (int q = 0; q < members.length; q++) {
            rows[q] = points[members[q]];
          }
          split(rows, wanted, depth + 1);
          continue;
        }
        if ((count + 1) * d > centroids.length) {
          centroids = Arrays.copyOf(centroids, Math.max(2 * centroids.length, (count + 1) * d));
        }
        System.arraycopy(result.centroids(), g * d, centroids, count * d, d);
        for (int q : members) {
          cellOf[points[q]] = count;
          toCentroid[points[q]] = result.distance()[q];
        }
        count++;
      }
    }

    float[] centroids() {
      return Arrays.copyOf(centroids, count * space.dim());
    }
  }

  private static int[] identity(int n) {
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    return all;
  }

  /** {@code count} of {@code from}, drawn without replacement (a partial Fisher–Yates shuffle). */
  private static int[] sample(int[] from, int count, SplittableRandom random) {
    int[] order = from.clone();
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return Arrays.copyOf(order, count);
  }

  /** The indices {@code i} with {@code assignment[i] = g}, ascending, for each group g. */
  private static int[][] group(int[] assignment, int groups) {
    int[] sizes = new int[groups];
    for (int g : assignment) {
      sizes[g]++;
    }
    int[][] out = new int[groups][];
    for (int g = 0; g < groups; g++) {
      out[g] = new int[sizes[g]];
    }
    int[] fill = new int[groups];
    for (int i = 0; i < assignment.length; i++) {
      out[assignment[i]][fill[assignment[i]]++] = i;
    }
    return out;
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

  /** Number of points in the largest cell. */
  public int largestCell() {
    int largest = 0;
    for (int c = 0; c < cellCount(); c++) {
      largest = Math.max(largest, offsets[c + 1] - offsets[c]);
    }
    return largest;
  }

  /** The {@code probe} cells whose centroids are nearest to {@code cell}'s, itself first. */
  public int[] nearestCells(int cell, int probe) {
    int k = cellCount();
    int d = space.dim();
    double[] dots = new double[k];
    Dots.dots(centroids, cell * d, centroids, d, identity(k), 0, k, dots);
    long[] keys = new long[k];
    for (int b = 0; b < k; b++) {
      double distance =
          b == cell
              ? 0.0
              : Math.sqrt(Math.max(0.0, centroidNorms[cell] + centroidNorms[b] - 2.0 * dots[b]));
      keys[b] = key(distance, b);
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
    double[] out = new double[1];
    toCentroids(point, new int[] {cell}, 1, out);
    return out[0];
  }

  /** {@code out[k] = toCentroid(point, cells[k])} for {@code k < count}, computed together. */
  public void toCentroids(int point, int[] cells, int count, double[] out) {
    space.dotsWith(point, centroids, cells, count, out);
    double own = space.squaredNorm(point);
    for (int k = 0; k < count; k++) {
      out[k] = Math.sqrt(Math.max(0.0, own + centroidNorms[cells[k]] - 2.0 * out[k]));
    }
  }

  /**
   * For each of {@code queries}, the exact distance to the nearest point {@code j} with {@code
   * label[j] != label[query]} (infinite if none). {@code cellLabel[c]} is the label every member of
   * cell {@code c} shares, or -1; a query skips the cells that share its label and those the
   * triangle inequality puts beyond the best distance it has found ({@code ||q - centroid|| -
   * radius}). The cells are searched in parallel, each cell's rows loaded once into a {@link Tile}
   * for all the queries; the per-task minima are combined at the end (a minimum does not depend on
   * the order).
   */
  public double[] distancesToOtherLabel(int[] queries, int[] label, int[] cellLabel) {
    int k = cellCount();
    int count = queries.length;
    int[] all = identity(k);
    double[][] lower = new double[count][k];
    Parallel.forChunks(
        count,
        16,
        (chunk, from, to) -> {
          for (int q = from; q < to; q++) {
            toCentroids(queries[q], all, k, lower[q]);
            for (int c = 0; c < k; c++) {
              lower[q][c] -= radius[c];
            }
          }
        });
    int tasks = Parallel.chunkCount(k, 16);
    double[][] found = new double[tasks][];
    int largest = largestCell();
    Parallel.forChunks(
        k,
        16,
        (task, from, to) -> {
          double[] best = new double[count];
          Arrays.fill(best, Double.POSITIVE_INFINITY);
          Tile tile = space.newTile(largest);
          float[] scratch = new float[largest];
          double[] distances = new double[largest];
          for (int c = from; c < to; c++) {
            boolean loaded = false;
            for (int q = 0; q < count; q++) {
              int own = label[queries[q]];
              if (cellLabel[c] == own || lower[q][c] >= best[q]) {
                continue;
              }
              if (!loaded) {
                space.loadTile(tile, members, offsets[c], offsets[c + 1] - offsets[c]);
                loaded = true;
              }
              space.squaredDistances(queries[q], tile, scratch, distances);
              double nearest = best[q] * best[q];
              for (int m = 0; m < tile.size(); m++) {
                if (label[tile.row(m)] != own && distances[m] < nearest) {
                  nearest = distances[m];
                }
              }
              best[q] = Math.sqrt(nearest);
            }
          }
          found[task] = best;
        });
    double[] best = new double[count];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (double[] part : found) {
      for (int q = 0; q < count; q++) {
        best[q] = Math.min(best[q], part[q]);
      }
    }
    return best;
  }

  /** Members of {@code cell}: {@code members()[start(cell) .. start(cell + 1))}, ascending. */
  public int[] members() {
    return members;
  }

  public int start(int cell) {
    return offsets[cell];
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
