package io.alfer.al.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A partition of points into clusters, with each cluster's members listed contiguously. Built from
 * a k-means++ seeding: every point belongs to its nearest seed.
 */
public final class Clustering {
  private final NearestCentres seeds;
  private final int[] offsets;
  private final int[] members;

  private Clustering(NearestCentres seeds) {
    this.seeds = seeds;
    int n = seeds.size();
    int k = seeds.count();
    offsets = new int[k + 1];
    for (int i = 0; i < n; i++) {
      offsets[seeds.owner(i) + 1]++;
    }
    for (int c = 0; c < k; c++) {
      offsets[c + 1] += offsets[c];
    }
    members = new int[n];
    int[] fill = Arrays.copyOf(offsets, k);
    for (int i = 0; i < n; i++) {
      members[fill[seeds.owner(i)]++] = i;
    }
  }

  /**
   * k-means++ seeding of {@code clusters} seeds (fewer if the points have fewer distinct
   * positions), the first drawn uniformly; each point joins its nearest seed.
   */
  public static Clustering kMeansPlusPlus(GramSpace space, int clusters, SplittableRandom random) {
    NearestCentres seeds = new NearestCentres(space);
    boolean[] isSeed = new boolean[space.size()];
    int next = random.nextInt(space.size());
    while (next >= 0) {
      isSeed[next] = true;
      seeds.add(next);
      next = seeds.count() < clusters ? seeds.sample(random, isSeed) : -1;
    }
    return new Clustering(seeds);
  }

  /** Number of clusters. */
  public int count() {
    return offsets.length - 1;
  }

  /** Members of {@code cluster}, ascending: {@code members()[start(c) .. end(c))}. */
  public int[] members() {
    return members;
  }

  public int start(int cluster) {
    return offsets[cluster];
  }

  public int end(int cluster) {
    return offsets[cluster + 1];
  }

  public int size(int cluster) {
    return offsets[cluster + 1] - offsets[cluster];
  }

  /** The cluster {@code point} belongs to. */
  public int of(int point) {
    return seeds.owner(point);
  }

  /** The point seeding {@code cluster}. */
  public int seed(int cluster) {
    return seeds.centre(cluster);
  }
}
