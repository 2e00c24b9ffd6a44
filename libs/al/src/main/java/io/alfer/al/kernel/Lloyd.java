package io.alfer.al.kernel;

import java.util.Arrays;

/**
 * Lloyd's k-means iterations on the points of an {@link EmbeddingSpace} (all of them or a subset):
 * each costs m·k·d for m points. Deterministic: a centroid is the sum of its members in ascending
 * order, whatever the number of threads. Memory is O(m + k·d): no per-chunk partial sums.
 */
public final class Lloyd {
  private static final int CHUNK = 4096;
  private static final int TILE_FROM = 16;

  private Lloyd() {}

  /**
   * The outcome of {@link #run}.
   *
   * @param centroids k × d centroids, row-major
   * @param assignment each point's nearest centroid (in the order the points were given)
   * @param distance each point's Euclidean distance to that centroid
   */
  public record Result(float[] centroids, int[] assignment, double[] distance) {}

  /** The given points, as the space scales them, as initial centroids. */
  public static float[] rows(EmbeddingSpace space, int[] points) {
    int d = space.dim();
    float[] x = space.data();
    float[] centroids = new float[points.length * d];
    for (int c = 0; c < points.length; c++) {
      int p = points[c];
      double scale = space.scale(p);
      for (int t = 0; t < d; t++) {
        centroids[c * d + t] = (float) (x[p * d + t] * scale);
      }
    }
    return centroids;
  }

  /** {@link #run(EmbeddingSpace, int[], float[], int)} on every point. */
  public static Result run(EmbeddingSpace space, float[] initialCentroids, int iterations) {
    return run(space, null, initialCentroids, iterations);
  }

  /**
   * Assigns each of {@code points} ({@code null}: every point of the space) to its nearest
   * centroid, then runs at most {@code iterations} update/assignment rounds (fewer once no
   * assignment changes). A centroid that loses every point stays where it was.
   */
  public static Result run(
      EmbeddingSpace space, int[] points, float[] initialCentroids, int iterations) {
    int m = points == null ? space.size() : points.length;
    int k = initialCentroids.length / space.dim();
    float[] centroids = initialCentroids.clone();
    int[] assignment = new int[m];
    double[] distance = new double[m];
    assign(space, points, centroids, k, assignment, distance);
    for (int iteration = 0; iteration < iterations; iteration++) {
      update(space, points, k, assignment, centroids);
      if (!assign(space, points, centroids, k, assignment, distance)) {
        break;
      }
    }
    return new Result(centroids, assignment, distance);
  }

  /** Nearest-centroid assignment; returns whether any point moved. */
  private static boolean assign(
      EmbeddingSpace space,
      int[] points,
      float[] centroids,
      int k,
      int[] assignment,
      double[] distance) {
    int d = space.dim();
    double[] norms = new double[k];
    Dots.squaredNorms(centroids, d, null, 0, k, norms);
    int[] all = new int[k];
    Arrays.setAll(all, c -> c);
    // products with many centroids go through a tile of them (the same values, faster)
    Tile tile = k >= TILE_FROM ? new Tile(d, k).load(centroids, null, 0, k) : null;
    int m = assignment.length;
    int chunks = Parallel.chunkCount(m, CHUNK);
    boolean[] changed = new boolean[chunks];
    Parallel.forChunks(
        m,
        CHUNK,
        (chunk, from, to) -> {
          double[] dots = new double[k];
          float[] scratch = new float[k];
          for (int q = from; q < to; q++) {
            int i = points == null ? q : points[q];
            if (tile != null) {
              space.dotsWith(i, tile, scratch, dots);
            } else {
              space.dotsWith(i, centroids, all, k, dots);
            }
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
              double partial = norms[c] - 2.0 * dots[c];
              if (partial < bestDistance) {
                bestDistance = partial;
                best = c;
              }
            }
            changed[chunk] |= best != assignment[q];
            assignment[q] = best;
            distance[q] = Math.sqrt(Math.max(0.0, space.squaredNorm(i) + bestDistance));
          }
        });
    boolean any = false;
    for (boolean c : changed) {
      any |= c;
    }
    return any;
  }

  /** Each centroid becomes the mean of its points, summed cluster by cluster in point order. */
  private static void update(
      EmbeddingSpace space, int[] points, int k, int[] assignment, float[] centroids) {
    int d = space.dim();
    float[] x = space.data();
    int m = assignment.length;
    int[] offsets = new int[k + 1];
    for (int q = 0; q < m; q++) {
      offsets[assignment[q] + 1]++;
    }
    for (int c = 0; c < k; c++) {
      offsets[c + 1] += offsets[c];
    }
    int[] members = new int[m];
    int[] fill = Arrays.copyOf(offsets, k);
    for (int q = 0; q < m; q++) {
      members[fill[assignment[q]]++] = points == null ? q : points[q];
    }
    Parallel.forChunks(
        k,
        1,
        (c, from, to) -> {
          if (offsets[c] == offsets[c + 1]) {
            return;
          }
          double[] sum = new double[d];
          for (int e = offsets[c]; e < offsets[c + 1]; e++) {
            int i = members[e];
            double scale = space.scale(i);
            for (int t = 0; t < d; t++) {
              sum[t] += x[i * d + t] * scale;
            }
          }
          int count = offsets[c + 1] - offsets[c];
          for (int t = 0; t < d; t++) {
            centroids[c * d + t] = (float) (sum[t] / count);
          }
        });
  }
}
