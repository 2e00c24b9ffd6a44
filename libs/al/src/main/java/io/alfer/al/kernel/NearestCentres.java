package io.alfer.al.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Each point's squared distance to its nearest centre, kept up to date as centres are added one at
 * a time: the core of the k-means++ seedings (BADGE, TypiClust, ProbCover's delta). Memory is
 * O(points + centres); no point-by-point matrix.
 *
 * <p>Adding a centre {@code q} skips every point {@code i} whose current centre {@code o} satisfies
 * {@code ||q - o|| >= 2 ||i - o||}: by the triangle inequality {@code q} cannot be closer to {@code
 * i} than {@code o} is. Skipped points cost O(1) and their rows are not read, which is where most
 * of the speed comes from once a few centres are placed. The points that remain are gathered per
 * chunk and their distances computed together ({@link GramSpace#squaredDistances}); the chunks'
 * buffers are made once, so adding a centre allocates almost nothing.
 */
public final class NearestCentres {
  private static final int CHUNK = 2048;

  private final GramSpace space;
  private final double[] minSquared;
  private final int[] owner;
  private final Scratch[] scratches;
  private int[] centres = new int[64];
  private int count;

  /** Starts with no centre: every point at infinite distance. */
  public NearestCentres(GramSpace space) {
    this.space = space;
    this.minSquared = new double[space.size()];
    this.owner = new int[space.size()];
    Arrays.fill(minSquared, Double.POSITIVE_INFINITY);
    Arrays.fill(owner, -1);
    scratches = new Scratch[Parallel.chunkCount(space.size(), CHUNK)];
  }

  /** Makes {@code point} a centre and updates every point's nearest centre. */
  public void add(int point) {
    double[] toCentres = distancesToCentres(point, count);
    int ordinal = count;
    Parallel.forChunks(
        minSquared.length,
        CHUNK,
        (chunk, from, to) -> update(point, ordinal, toCentres, from, to, scratch(chunk)));
    minSquared[point] = 0.0;
    owner[point] = ordinal;
    if (count == centres.length) {
      centres = Arrays.copyOf(centres, count * 2);
    }
    centres[count++] = point;
  }

  /** Squared distances from {@code point} to centres {@code 0 .. upTo - 1}. */
  private double[] distancesToCentres(int point, int upTo) {
    double[] out = new double[upTo];
    Parallel.forChunks(
        upTo,
        256,
        (chunk, from, to) -> {
          double[] part = new double[to - from];
          space.squaredDistances(point, centres, from, to - from, part);
          System.arraycopy(part, 0, out, from, to - from);
        });
    return out;
  }

  /** Per-chunk buffers of {@link #update}. */
  private static final class Scratch {
    final int[] points;
    final double[] distances;

    Scratch(int size) {
      points = new int[size];
      distances = new double[size];
    }
  }

  /** The buffers of {@link #add}'s chunk number {@code chunk}, made once and reused. */
  private Scratch scratch(int chunk) {
    Scratch s = scratches[chunk];
    if (s == null) {
      s = new Scratch(Math.min(CHUNK, minSquared.length - chunk * CHUNK));
      scratches[chunk] = s;
    }
    return s;
  }

  /**
   * Points {@code [from, to)} after {@code point} becomes centre number {@code ordinal}: the points
   * the triangle inequality cannot rule out are gathered (without branches), then their distances
   * to {@code point} are computed together.
   */
  private void update(
      int point, int ordinal, double[] toCentres, int from, int to, Scratch scratch) {
    int[] candidates = scratch.points;
    int m = 0;
    for (int i = from; i < to; i++) {
      double current = minSquared[i];
      int o = owner[i];
      // o < 0 only before any centre, when current is infinite
      boolean ruledOut = current == 0.0 || (o >= 0 && toCentres[o] >= 4.0 * current);
      candidates[m] = i;
      m += ruledOut ? 0 : 1;
    }
    double[] distances = scratch.distances;
    space.squaredDistances(point, candidates, 0, m, distances);
    for (int k = 0; k < m; k++) {
      int i = candidates[k];
      double d = i == point ? 0.0 : distances[k];
      if (d < minSquared[i]) {
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
