package io.alfer.al.kernel;

import java.util.Arrays;

/**
 * Every point's squared distance to its nearest of a fixed set of centres (CoreSet's labelled
 * items), exactly, without a point-by-point matrix and mostly with dense, vectorised products.
 *
 * <p>Up to {@value #SEEDS} of the centres are chosen farthest-first as seeds, and every centre
 * joins the group of its nearest seed (the group's radius: its farthest member from the seed).
 * Every point is compared with every seed (through a {@link Tile}), which gives it its nearest
 * seed, an upper bound {@code r} on the answer, and for each group {@code g} the lower bound {@code
 * ||x - seed_g|| - radius_g} on its distance to the group's centres. The points are then taken in
 * batches of up to {@value #BATCH} that share a nearest seed (so they lie near each other and need
 * the same groups); a batch is copied into a tile and compared, densely, with every centre of a
 * group as long as some point of the batch has the group's bound below its {@code r}, the groups in
 * order of the batch's smallest bound so that {@code r} falls fast and later groups drop out. A
 * group every point of the batch rules out cannot hold a centre nearer than what the point has (the
 * bounds carry a relative slack of 1e-6 against rounding), so the result is the exact minimum; each
 * distance is computed in {@link Dots}' fixed order, so it is the value that {@link
 * EmbeddingSpace#squaredDistance} gives.
 *
 * <p>On the benchmark's pool (n = 100,000, 1,000 centres) a point ends up compared with about 140
 * centres besides the seeds, fewer than the triangle-inequality pruning of {@link NearestCentres}
 * evaluates one by one, and at three to four times the multiply-adds per second. Time: n·seeds·d
 * twice, plus those dense products; memory O(n + centres) plus a batch's bounds and tile per
 * thread.
 */
public final class NearestCentreSearch {
  /** Most seeds (groups of centres). */
  static final int SEEDS = 128;

  /** Most points compared together with a centre. */
  static final int BATCH = 512;

  private static final double SLACK = 1e-6;

  private NearestCentreSearch() {}

  /**
   * {@code out[i]} = the squared distance from point {@code i} to the nearest of {@code centres}
   * (infinite when there is none).
   */
  public static double[] squaredDistances(EmbeddingSpace space, int[] centres) {
    int n = space.size();
    double[] best = new double[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    int m = centres.length;
    if (m == 0) {
      return best;
    }
    // seeds, farthest-first among the centres; each centre's group is its nearest seed
    int seeds = Math.min(m, SEEDS);
    int[] seed = new int[seeds];
    double[] toSeed = new double[m];
    Arrays.fill(toSeed, Double.POSITIVE_INFINITY);
    int[] groupOf = new int[m];
    double[] scratch = new double[m];
    int next = 0;
    for (int s = 0; s < seeds; s++) {
      seed[s] = centres[next];
      space.squaredDistances(seed[s], centres, 0, m, scratch);
      int farthest = 0;
      for (int c = 0; c < m; c++) {
        if (scratch[c] < toSeed[c]) {
          toSeed[c] = scratch[c];
          groupOf[c] = s;
        }
        if (toSeed[c] > toSeed[farthest]) {
          farthest = c;
        }
      }
      next = farthest;
    }
    int[][] groups = members(groupOf, seeds);
    for (int[] group : groups) {
      for (int j = 0; j < group.length; j++) {
        group[j] = centres[group[j]]; // from positions in centres to points
      }
    }
    double[] radius = new double[seeds];
    for (int c = 0; c < m; c++) {
      radius[groupOf[c]] = Math.max(radius[groupOf[c]], Math.sqrt(toSeed[c]));
    }

    // each point's nearest seed: the seeds against tiles of points, a few tasks per thread
    int[] nearestSeed = new int[n];
    int threads = Runtime.getRuntime().availableProcessors();
    int rowsPerTask = Math.max(1, (n / (8 * threads) + BATCH - 1) / BATCH) * BATCH;
    Parallel.forChunks(
        n,
        rowsPerTask,
        (task, taskFrom, taskTo) -> {
          Tile tile = space.newTile(BATCH);
          float[] dots = new float[BATCH];
          double[] distances = new double[BATCH];
          for (int from = taskFrom; from < taskTo; from += BATCH) {
            int size = Math.min(BATCH, taskTo - from);
            space.loadTile(tile, null, from, size);
            for (int g = 0; g < seeds; g++) {
              space.squaredDistances(seed[g], tile, dots, distances);
              for (int k = 0; k < size; k++) {
                if (g == 0 || distances[k] < best[from + k]) {
                  best[from + k] = distances[k];
                  nearestSeed[from + k] = g;
                }
              }
            }
          }
        });

    // batches of points sharing a nearest seed
    int[][] cells = members(nearestSeed, seeds);
    int batches = 0;
    for (int[] cell : cells) {
      batches += (cell.length + BATCH - 1) / BATCH;
    }
    int[] batchCell = new int[batches];
    int[] batchStart = new int[batches];
    for (int s = 0, b = 0; s < seeds; s++) {
      for (int start = 0; start < cells[s].length; start += BATCH, b++) {
        batchCell[b] = s;
        batchStart[b] = start;
      }
    }
    // a few tasks per thread, each with its own buffers (the batches' results do not depend on it)
    int perTask = Math.max(1, batches / (8 * threads));
    Parallel.forChunks(
        batches,
        perTask,
        (task, from, to) -> {
          Batch batch = new Batch(space, seed, groups, radius, best);
          for (int b = from; b < to; b++) {
            int[] cell = cells[batchCell[b]];
            batch.search(cell, batchStart[b], Math.min(BATCH, cell.length - batchStart[b]));
          }
        });
    return best;
  }

  /** Up to {@value #BATCH} points sharing a nearest seed, and the buffers to search for them. */
  private static final class Batch {
    private final EmbeddingSpace space;
    private final int[] seed;
    private final int[][] groups;
    private final double[] radius;
    private final double[] best;
    private final Tile tile;
    private final float[] dots;
    private final double[] distances;

    /** {@code lower[g][k]}: the bound on point k's distance to any centre of group g. */
    private final double[][] lower;

    private final double[] nearestBound;
    private final double[] reach;
    private final long[] order;

    Batch(EmbeddingSpace space, int[] seed, int[][] groups, double[] radius, double[] best) {
      this.space = space;
      this.seed = seed;
      this.groups = groups;
      this.radius = radius;
      this.best = best;
      int seeds = seed.length;
      tile = space.newTile(BATCH);
      dots = new float[Math.max(seeds, BATCH)];
      distances = new double[Math.max(seeds, BATCH)];
      lower = new double[seeds][BATCH];
      nearestBound = new double[seeds];
      reach = new double[BATCH];
      order = new long[seeds];
    }

    /** Points {@code points[from .. from + size)}: every group that may hold a nearer centre. */
    void search(int[] points, int from, int size) {
      int seeds = seed.length;
      space.loadTile(tile, points, from, size);
      Arrays.fill(nearestBound, Double.POSITIVE_INFINITY);
      for (int g = 0; g < seeds; g++) {
        space.squaredDistances(seed[g], tile, dots, distances);
        double[] groupLower = lower[g];
        double groupRadius = radius[g] * (1 + SLACK);
        double nearestOfGroup = Double.POSITIVE_INFINITY;
        for (int k = 0; k < size; k++) {
          groupLower[k] = Math.sqrt(distances[k]) - groupRadius;
          nearestOfGroup = Math.min(nearestOfGroup, groupLower[k]);
        }
        nearestBound[g] = nearestOfGroup;
      }
      for (int k = 0; k < size; k++) {
        reach[k] = Math.sqrt(best[tile.row(k)]) * (1 + SLACK);
      }
      // groups nearest (by the bound) first, so the points' distances fall fast
      for (int g = 0; g < seeds; g++) {
        float key = (float) Math.max(0.0, nearestBound[g]);
        order[g] = ((long) Float.floatToIntBits(key) << 32) | g;
      }
      Arrays.sort(order);
      for (long key : order) {
        int g = (int) key;
        double[] groupLower = lower[g];
        boolean needed = false;
        for (int k = 0; k < size; k++) {
          needed |= groupLower[k] < reach[k];
        }
        if (!needed) {
          continue;
        }
        boolean improved = false;
        for (int q : groups[g]) {
          if (q == seed[g]) {
            continue; // every point has its distance to the seeds already
          }
          space.squaredDistances(q, tile, dots, distances);
          for (int k = 0; k < size; k++) {
            int i = tile.row(k);
            if (distances[k] < best[i]) {
              best[i] = distances[k];
              improved = true;
            }
          }
        }
        if (improved) {
          for (int k = 0; k < size; k++) {
            reach[k] = Math.sqrt(best[tile.row(k)]) * (1 + SLACK);
          }
        }
      }
    }
  }

  /** The indices with each value, ascending, per value in {@code [0, values)}. */
  private static int[][] members(int[] of, int values) {
    int[] sizes = new int[values];
    for (int v : of) {
      sizes[v]++;
    }
    int[][] out = new int[values][];
    for (int v = 0; v < values; v++) {
      out[v] = new int[sizes[v]];
    }
    int[] fill = new int[values];
    for (int i = 0; i < of.length; i++) {
      out[of[i]][fill[of[i]]++] = i;
    }
    return out;
  }
}
