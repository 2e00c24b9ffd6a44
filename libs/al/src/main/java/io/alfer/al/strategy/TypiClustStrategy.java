package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.ParameterSpec;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.Clustering;
import io.alfer.al.kernel.EmbeddingSpace;
import io.alfer.al.kernel.Parallel;
import io.alfer.al.kernel.Tile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code typiclust}: TypiClust (Hacohen, Dekel &amp; Weinshall 2022), a cold-start strategy. The
 * whole pool is clustered into {@code |labelled| + budget} clusters (capped by {@code
 * max-clusters}); clusters larger than {@code min-cluster-size} are ordered by how few labelled
 * items they hold, then by size, and visited round-robin; from each visited cluster the most
 * typical unlabelled item is taken, typicality being the inverse mean Euclidean distance to its
 * {@code min(neighbours, size/2)} nearest unlabelled cluster-mates. Score = the typicality.
 *
 * <p>Clustering is a k-means++ seeding on the embeddings (each item joins its nearest seed): it
 * scales to 100k items and thousands of clusters without Lloyd iterations. Typicality is computed
 * within a cluster over at most {@code max-cluster-sample} members (a seeded sample of larger
 * clusters), which bounds the neighbour search.
 *
 * <p>Parameters: {@code neighbours} (default 20), {@code min-cluster-size} (default 5), {@code
 * max-clusters} (no default: no cap; the authors' code uses 500), {@code max-cluster-sample}
 * (default 500).
 */
public final class TypiClustStrategy extends BaseStrategy {
  static final List<ParameterSpec> PARAMETERS =
      List.of(
          new ParameterSpec("neighbours", "20", "k of the typicality k-NN, 1..1000"),
          new ParameterSpec(
              "min-cluster-size",
              "5",
              "clusters of at most this many items are visited only after all larger ones"),
          new ParameterSpec(
              "max-clusters", null, "cap on |labelled| + budget clusters; unset means no cap"),
          new ParameterSpec(
              "max-cluster-sample",
              "500",
              "typicality is computed over at most this many members of a cluster, 2..100000"));

  private final int neighbours;
  private final int minClusterSize;
  private final int maxClusters;
  private final int maxClusterSample;

  public TypiClustStrategy(Parameters parameters) {
    super("typiclust", parameters, Set.of(Input.EMBEDDINGS));
    this.neighbours = parameters.intValue("neighbours", 1, 1000);
    this.minClusterSize = parameters.intValue("min-cluster-size", 0, Integer.MAX_VALUE);
    this.maxClusters =
        parameters.has("max-clusters")
            ? parameters.intValue("max-clusters", 1, Integer.MAX_VALUE)
            : Integer.MAX_VALUE;
    this.maxClusterSample = parameters.intValue("max-cluster-sample", 2, 100_000);
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int clusterCount =
        (int) Math.min(Math.min((long) pool.labelledCount() + count, pool.size()), maxClusters);
    EmbeddingSpace space = new EmbeddingSpace(pool.embeddings());
    Clustering clustering = Clustering.kMeansPlusPlus(space, clusterCount, random);
    int largest = 0;
    for (int c = 0; c < clustering.count(); c++) {
      largest = Math.max(largest, Math.min(clustering.size(c), maxClusterSample));
    }
    Tile tile = space.newTile(largest);
    int[] labelledPerCluster = new int[clustering.count()];
    for (int row = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        labelledPerCluster[clustering.of(row)]++;
      }
    }
    Comparator<Integer> order =
        Comparator.<Integer>comparingInt(c -> labelledPerCluster[c])
            .thenComparingInt(c -> -clustering.size(c))
            .thenComparingInt(c -> c);
    int[] large =
        IntStream.range(0, clustering.count())
            .filter(c -> clustering.size(c) > minClusterSize)
            .boxed()
            .sorted(order)
            .mapToInt(Integer::intValue)
            .toArray();
    int[] small =
        IntStream.range(0, clustering.count())
            .filter(c -> clustering.size(c) <= minClusterSize)
            .boxed()
            .sorted(order)
            .mapToInt(Integer::intValue)
            .toArray();

    boolean[] taken = new boolean[pool.size()];
    for (int row = 0; row < pool.size(); row++) {
      taken[row] = pool.isLabelled(row);
    }
    List<Pick> picks = new ArrayList<>(count);
    for (int[] visiting : new int[][] {large, small}) {
      boolean progress = true;
      while (picks.size() < count && progress) {
        progress = false;
        for (int i = 0; i < visiting.length && picks.size() < count; i++) {
          Pick pick = mostTypical(pool, space, tile, clustering, visiting[i], taken, random);
          if (pick != null) {
            picks.add(pick);
            taken[pick.row()] = true;
            progress = true;
          }
        }
      }
    }
    return picks;
  }

  /** The most typical untaken member of {@code cluster}, or null if none is left. */
  private Pick mostTypical(
      Pool pool,
      EmbeddingSpace space,
      Tile tile,
      Clustering clustering,
      int cluster,
      boolean[] taken,
      SplittableRandom random) {
    int[] candidates =
        Arrays.stream(clustering.members(), clustering.start(cluster), clustering.end(cluster))
            .filter(row -> !taken[row])
            .toArray();
    if (candidates.length == 0) {
      return null;
    }
    if (candidates.length > maxClusterSample) {
      for (int i = 0; i < maxClusterSample; i++) {
        int j = i + random.nextInt(candidates.length - i);
        int t = candidates[i];
        candidates[i] = candidates[j];
        candidates[j] = t;
      }
      candidates = Arrays.copyOf(candidates, maxClusterSample);
      Arrays.sort(candidates);
    }
    int k = Math.min(neighbours, candidates.length / 2);
    if (k == 0) {
      return new Pick(pool.id(candidates[0]), candidates[0], 0.0);
    }
    double[] typicality = typicality(space, tile, candidates, k);
    int best = 0;
    for (int i = 1; i < candidates.length; i++) {
      if (typicality[i] > typicality[best]) {
        best = i;
      }
    }
    return new Pick(pool.id(candidates[best]), candidates[best], typicality[best]);
  }

  /**
   * {@code 1 / (mean distance to the k nearest others + 1e-5)} for each of {@code rows}: all the
   * pairwise distances, each row against a {@link Tile} of them all.
   */
  private static double[] typicality(EmbeddingSpace space, Tile tile, int[] rows, int k) {
    space.loadTile(tile, rows, 0, rows.length);
    double[] typicality = new double[rows.length];
    Parallel.forChunks(
        rows.length,
        64,
        (chunk, from, to) -> {
          float[] scratch = new float[rows.length];
          double[] squared = new double[rows.length];
          double[] nearest = new double[k];
          for (int i = from; i < to; i++) {
            space.squaredDistances(rows[i], tile, scratch, squared);
            int kept = 0;
            for (int j = 0; j < rows.length; j++) {
              if (j != i) {
                kept = keepSmallest(nearest, kept, Math.sqrt(squared[j]));
              }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
              sum += nearest[j];
            }
            typicality[i] = 1.0 / (sum / k + 1e-5);
          }
        });
    return typicality;
  }

  /**
   * Offers {@code value} to {@code smallest[0 .. kept)}, the smallest values seen so far in
   * ascending order (at most {@code smallest.length} of them); returns the new count.
   */
  private static int keepSmallest(double[] smallest, int kept, double value) {
    if (kept == smallest.length && !(value < smallest[kept - 1])) {
      return kept;
    }
    int at = kept == smallest.length ? kept - 1 : kept;
    while (at > 0 && smallest[at - 1] > value) {
      smallest[at] = smallest[at - 1];
      at--;
    }
    smallest[at] = value;
    return Math.min(kept + 1, smallest.length);
  }
}
