package io.alfer.al.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Each point's squared distance to its nearest centre, kept up to date as centres are added: the
 * shared core of k-center greedy (CoreSet), k-means++ seeding (BADGE, TypiClust) and the partitions
 * used by ProbCover. Memory is O(points + centres); no point-by-point matrix.
 *
 * <p>Adding a centre {@code q} skips every point {@code i} whose current centre {@code o} satisfies
 * {@code ||q - o|| >= 2 ||i - o||}: by the triangle inequality {@code q} cannot be closer to {@code
 * i} than {@code o} is. Skipped points cost O(1) and their rows are not read, which is where most
 * of the speed comes from once a few centres are placed.
 */
public final class NearestCentres {
  private static final int CHUNK = 2048;
  private static final int BLOCK = 32;

  private final GramSpace space;
  private final double[] minSquared;
  private final int[] owner;
  private int[] centres = new int[64];
  private int count;

  /** Starts with no centre: every point at infinite distance. */
  public NearestCentres(GramSpace space) {
    this.space = space;
    this.minSquared = new double[space.size()];
    this.owner = new int[space.size()];
    Arrays.fill(minSquared, Double.POSITIVE_INFINITY);
    Arrays.fill(owner, -1);
  }

  /** Makes {@code point} a centre and updates every point's nearest centre. */
  public void add(int point) {
    double[] toCentres = new double[count];
    Parallel.forChunks(
        count,
        64,
        (chunk, from, to) -> {
          for (int o = from; o < to; o++) {
            toCentres[o] = space.squaredDistance(point, centres[o]);
          }
        });
    int ordinal = count;
    Parallel.forChunks(
        minSquared.length, CHUNK, (chunk, from, to) -> update(point, ordinal, toCentres, from, to));
    minSquared[point] = 0.0;
    owner[point] = ordinal;
    if (count == centres.length) {
      centres = Arrays.copyOf(centres, count * 2);
    }
    centres[count++] = point;
  }

  /**
   * Makes each of {@code points} a centre, in order: the same result as calling {@link #add} for
   * each, but blocks of 32 centres sweep the points together, chunk by chunk, so a chunk's rows are
   * read from memory once per block instead of once per centre.
   */
  public void addAll(int[] points) {
    for (int start = 0; start < points.length; start += BLOCK) {
      int[] block = Arrays.copyOfRange(points, start, Math.min(points.length, start + BLOCK));
      int first = count;
      double[][] toCentres = new double[block.length][];
      Parallel.forChunks(
          block.length,
          1,
          (b, from, to) -> {
            double[] distances = new double[first + b];
            for (int o = 0; o < first; o++) {
              distances[o] = space.squaredDistance(block[b], centres[o]);
            }
            for (int o = 0; o < b; o++) {
              distances[first + o] = space.squaredDistance(block[b], block[o]);
            }
            toCentres[b] = distances;
          });
      Parallel.forChunks(
          minSquared.length,
          256,
          (chunk, from, to) -> {
            for (int b = 0; b < block.length; b++) {
              update(block[b], first + b, toCentres[b], from, to);
            }
          });
      for (int b = 0; b < block.length; b++) {
        if (count == centres.length) {
          centres = Arrays.copyOf(centres, count * 2);
        }
        centres[count++] = block[b];
      }
    }
  }

  /** Points {@code [from, to)} after {@code point} becomes centre number {@code ordinal}. */
  private void update(int point, int ordinal, double[] toCentres, int from, int to) {
    for (int i = from; i < to; i++) {
      double current = minSquared[i];
      if (current == 0.0) {
        continue;
      }
      if (i == point) {
        minSquared[i] = 0.0;
        owner[i] = ordinal;
        continue;
      }
      int o = owner[i];
      if (o >= 0 && toCentres[o] >= 4.0 * current) {
        continue;
      }
      double d = space.squaredDistance(i, point);
      if (d < current) {
        minSquared[i] = d;
        owner[i] = ordinal;
      }
    }
  }

  /** Number of points tracked. */
  public int size() {
    return minSquared.length;
  }

  /** Number of centres added so far. */
  public int count() {
    return count;
  }

  /** The point that is centre number {@code ordinal}. */
  public int centre(int ordinal) {
    return centres[ordinal];
  }

  /** Squared distance from {@code point} to its nearest centre (infinite before any centre). */
  public double minSquaredDistance(int point) {
    return minSquared[point];
  }

  /** Ordinal of {@code point}'s nearest centre, or -1 before any centre. */
  public int owner(int point) {
    return owner[point];
  }

  /**
   * The point farthest from every centre among those not {@code excluded}; ties go to the lower
   * index. Returns -1 when every point is excluded.
   */
  public int farthest(boolean[] excluded) {
    int chunks = Parallel.chunkCount(minSquared.length, CHUNK);
    int[] best = new int[chunks];
    Parallel.forChunks(
        minSquared.length,
        CHUNK,
        (chunk, from, to) -> {
          int b = -1;
          for (int i = from; i < to; i++) {
            if (!excluded[i] && (b < 0 || minSquared[i] > minSquared[b])) {
              b = i;
            }
          }
          best[chunk] = b;
        });
    int b = -1;
    for (int candidate : best) {
      if (candidate >= 0 && (b < 0 || minSquared[candidate] > minSquared[b])) {
        b = candidate;
      }
    }
    return b;
  }

  /**
   * Draws a point with probability proportional to its squared distance to the nearest centre
   * (k-means++ "D²" sampling) among points not {@code excluded}. Returns -1 when all those points
   * sit on centres (total weight zero).
   */
  public int sample(SplittableRandom random, boolean[] excluded) {
    int chunks = Parallel.chunkCount(minSquared.length, CHUNK);
    double[] sums = new double[chunks];
    Parallel.forChunks(
        minSquared.length,
        CHUNK,
        (chunk, from, to) -> {
          double s = 0;
          for (int i = from; i < to; i++) {
            if (!excluded[i]) {
              s += minSquared[i];
            }
          }
          sums[chunk] = s;
        });
    double total = 0;
    for (double s : sums) {
      total += s;
    }
    if (!(total > 0) || Double.isInfinite(total)) {
      return -1;
    }
    double target = random.nextDouble() * total;
    int last = -1;
    for (int c = 0; c < chunks; c++) {
      if (target >= sums[c] && c < chunks - 1) {
        target -= sums[c];
        continue;
      }
      int to = Math.min(minSquared.length, (c + 1) * CHUNK);
      for (int i = c * CHUNK; i < to; i++) {
        if (!excluded[i] && minSquared[i] > 0) {
          last = i;
          target -= minSquared[i];
          if (target < 0) {
            return i;
          }
        }
      }
      if (last >= 0) {
        return last;
      }
      target = 0;
    }
    return last;
  }
}
