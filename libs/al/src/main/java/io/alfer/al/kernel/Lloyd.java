package io.alfer.al.kernel;

import io.alfer.al.Matrix;

/**
 * Lloyd's k-means iterations: each costs n·k·d. Deterministic: centroid sums are accumulated per
 * fixed chunk and combined in chunk order.
 */
public final class Lloyd {
  private static final int CHUNK = 4096;

  private Lloyd() {}

  /**
   * The outcome of {@link #run}.
   *
   * @param centroids k × d centroids, row-major
   * @param assignment each point's nearest centroid
   * @param distance each point's Euclidean distance to that centroid
   */
  public record Result(float[] centroids, int[] assignment, double[] distance) {}

  /** The given rows of {@code points} as initial centroids. */
  public static float[] rows(Matrix points, int[] rows) {
    int d = points.cols();
    float[] centroids = new float[rows.length * d];
    for (int c = 0; c < rows.length; c++) {
      System.arraycopy(points.data(), rows[c] * d, centroids, c * d, d);
    }
    return centroids;
  }

  /**
   * Assigns every point to its nearest centroid, then runs at most {@code iterations}
   * update/assignment rounds (fewer once no assignment changes). A centroid that loses every point
   * stays where it was.
   */
  public static Result run(Matrix points, float[] initialCentroids, int iterations) {
    int n = points.rows();
    int d = points.cols();
    int k = initialCentroids.length / d;
    float[] centroids = initialCentroids.clone();
    int[] assignment = new int[n];
    double[] distance = new double[n];
    assign(points, centroids, k, assignment, distance);
    for (int iteration = 0; iteration < iterations; iteration++) {
      update(points, k, assignment, centroids);
      if (!assign(points, centroids, k, assignment, distance)) {
        break;
      }
    }
    return new Result(centroids, assignment, distance);
  }

  /** Nearest-centroid assignment; returns whether any point moved. */
  private static boolean assign(
      Matrix points, float[] centroids, int k, int[] assignment, double[] distance) {
    int d = points.cols();
    float[] x = points.data();
    double[] norms = new double[k];
    for (int c = 0; c < k; c++) {
      norms[c] = Vectors.squaredNorm(centroids, c * d, d);
    }
    int chunks = Parallel.chunkCount(points.rows(), CHUNK);
    boolean[] changed = new boolean[chunks];
    Parallel.forChunks(
        points.rows(),
        CHUNK,
        (chunk, from, to) -> {
          for (int i = from; i < to; i++) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
              double partial = norms[c] - 2.0 * Vectors.dot(x, i * d, centroids, c * d, d);
              if (partial < bestDistance) {
                bestDistance = partial;
                best = c;
              }
            }
            changed[chunk] |= best != assignment[i];
            assignment[i] = best;
            double own = Vectors.squaredNorm(x, i * d, d);
            distance[i] = Math.sqrt(Math.max(0.0, own + bestDistance));
          }
        });
    boolean any = false;
    for (boolean c : changed) {
      any |= c;
    }
    return any;
  }

  private static void update(Matrix points, int k, int[] assignment, float[] centroids) {
    int d = points.cols();
    float[] x = points.data();
    int chunks = Parallel.chunkCount(points.rows(), CHUNK);
    double[][] sums = new double[chunks][];
    int[][] counts = new int[chunks][k];
    Parallel.forChunks(
        points.rows(),
        CHUNK,
        (chunk, from, to) -> {
          double[] s = new double[k * d];
          for (int i = from; i < to; i++) {
            int c = assignment[i];
            counts[chunk][c]++;
            for (int t = 0; t < d; t++) {
              s[c * d + t] += x[i * d + t];
            }
          }
          sums[chunk] = s;
        });
    Parallel.forChunks(
        k,
        16,
        (chunk, from, to) -> {
          for (int c = from; c < to; c++) {
            int count = 0;
            for (int[] perChunk : counts) {
              count += perChunk[c];
            }
            if (count == 0) {
              continue;
            }
            for (int t = 0; t < d; t++) {
              double total = 0;
              for (double[] perChunk : sums) {
                total += perChunk[c * d + t];
              }
              centroids[c * d + t] = (float) (total / count);
            }
          }
        });
  }
}
