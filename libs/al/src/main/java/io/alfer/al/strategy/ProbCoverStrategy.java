package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.ParameterSpec;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.CellIndex;
import io.alfer.al.kernel.Clustering;
import io.alfer.al.kernel.EmbeddingSpace;
import io.alfer.al.kernel.Lloyd;
import io.alfer.al.kernel.RadiusGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code probcover}: ProbCover (Yehuda et al. 2022), a cold-start strategy maximising the
 * probability coverage of the pool. Embeddings are L2-normalised; item {@code i} covers every item
 * within distance {@code delta} (itself included). Items covered by the labelled set are covered
 * from the start; each step takes the unlabelled item that covers the most still-uncovered items.
 * Once everything is covered the rest is a seeded uniform draw (score 0). Score = how many items
 * the pick newly covered.
 *
 * <p>{@code delta}, when not given, follows the paper's purity heuristic: k-means with {@code
 * clusters} clusters on the normalised embeddings; a ball is pure when it holds no item of another
 * cluster; {@code delta} is the largest radius at which a fraction {@code purity} of the balls is
 * pure. A ball around {@code i} stays pure exactly while the radius is at most the distance {@code
 * ρ_i} from {@code i} to the nearest item of another cluster, so {@code delta} is the (1 - purity)
 * quantile of {@code ρ}, estimated over a seeded sample of {@code purity-sample} items.
 *
 * <p>Parameters: {@code delta} (no default: estimated; in (0, 2]), {@code purity} (α, default
 * 0.95), {@code clusters} (default: the number of classes of the probabilities or head, else
 * required when {@code delta} is not given), {@code purity-sample} (default 500), {@code
 * max-neighbours} (default 200: each item keeps its nearest 200 neighbours within {@code delta},
 * which bounds the graph's memory; denser items count as covering 200), {@code probe} (default 4:
 * the graph is built by an inverted-file search: the items of a cell of about min(√n, 512) items
 * look into the 4 cells with the centroids nearest to their cell's, approximate but O(n·min(√n,
 * 512)·d) instead of O(n²·d); 0 searches every cell, exactly).
 *
 * <p>Memory: no normalised copy of the embeddings (one scale per row, {@link EmbeddingSpace#unit});
 * the graph's out-edges only, 4 bytes each ({@link RadiusGraph}); O(n) besides. The greedy is lazy:
 * a max-heap of each candidate's count of uncovered out-neighbours as last counted, recounted only
 * at the top (counts only fall, so a stale count is an upper bound); it picks what recounting
 * everyone at every step picks, ties to the lower row.
 */
public final class ProbCoverStrategy extends BaseStrategy {
  static final List<ParameterSpec> PARAMETERS =
      List.of(
          new ParameterSpec("delta", null, "ball radius on normalised embeddings, in (0, 2]"),
          new ParameterSpec("purity", "0.95", "target purity α of the delta heuristic, in (0, 1)"),
          new ParameterSpec(
              "clusters", null, "k-means clusters of the delta heuristic; default: class count"),
          new ParameterSpec(
              "purity-sample", "500", "items sampled to estimate the purity quantile, 10..100000"),
          new ParameterSpec(
              "max-neighbours", "200", "cap on each item's neighbours in the graph, 1..100000"),
          new ParameterSpec(
              "probe",
              "4",
              "graph search visits each item's nearest probe cells of ~min(√n, 512) items; 0 = all"
                  + " (exact)"));

  private static final int LLOYD_ITERATIONS = 10;

  private final Double delta;
  private final double purity;
  private final Integer clusters;
  private final int puritySample;
  private final int maxNeighbours;
  private final int probe;

  public ProbCoverStrategy(Parameters parameters) {
    super("probcover", parameters, Set.of(Input.EMBEDDINGS));
    this.delta = parameters.has("delta") ? parameters.doubleValue("delta", 1e-9, 2.0, true) : null;
    this.purity = parameters.doubleValue("purity", 1e-9, 1.0, false);
    this.clusters = parameters.has("clusters") ? parameters.intValue("clusters", 2, 100_000) : null;
    this.puritySample = parameters.intValue("purity-sample", 10, 100_000);
    this.maxNeighbours = parameters.intValue("max-neighbours", 1, 100_000);
    int probeCells = parameters.intValue("probe", 0, Integer.MAX_VALUE);
    this.probe = probeCells == 0 ? Integer.MAX_VALUE : probeCells;
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    CellIndex index = CellIndex.build(EmbeddingSpace.unit(pool.embeddings()), random.split());
    double radius = delta != null ? delta : estimateDelta(pool, index, random);
    RadiusGraph graph = RadiusGraph.build(index, radius, maxNeighbours, probe);
    return new Cover(pool, graph).greedy(count, random);
  }

  /**
   * The ball radius a selection on {@code pool} with {@code seed} uses: the {@code delta}
   * parameter, or the purity heuristic's estimate (computed the same way, so the same value).
   */
  public double delta(Pool pool, long seed) {
    if (delta != null) {
      return delta;
    }
    SplittableRandom random = new SplittableRandom(seed);
    CellIndex index = CellIndex.build(EmbeddingSpace.unit(pool.embeddings()), random.split());
    return estimateDelta(pool, index, random);
  }

  /** The purity heuristic's delta; see the class comment. */
  double estimateDelta(Pool pool, CellIndex index, SplittableRandom random) {
    int k = clusterCount(pool);
    EmbeddingSpace points = index.space();
    Clustering seeding = Clustering.kMeansPlusPlus(points, k, random);
    int[] seeds = new int[seeding.count()];
    Arrays.setAll(seeds, seeding::seed);
    int[] assignment = Lloyd.run(points, Lloyd.rows(points, seeds), LLOYD_ITERATIONS).assignment();
    int n = points.size();
    int s = Math.min(puritySample, n);
    int[] sample = new int[n];
    Arrays.setAll(sample, i -> i);
    for (int i = 0; i < s; i++) {
      int j = i + random.nextInt(n - i);
      int t = sample[i];
      sample[i] = sample[j];
      sample[j] = t;
    }
    double[] rho = distanceToOtherClusters(index, assignment, Arrays.copyOf(sample, s));
    Arrays.sort(rho);
    double estimate = rho[(int) Math.floor((1.0 - purity) * s)];
    if (!(estimate > 0) || Double.isInfinite(estimate)) {
      throw new IllegalArgumentException(
          "probcover could not estimate delta (got "
              + estimate
              + " from "
              + k
              + " clusters); give the 'delta' parameter");
    }
    return estimate;
  }

  /** For each of {@code queries}, the exact distance to the nearest point of another cluster. */
  private static double[] distanceToOtherClusters(
      CellIndex index, int[] assignment, int[] queries) {
    return index.distancesToOtherLabel(queries, assignment, pureCells(index, assignment));
  }

  /** Per cell: the k-means cluster all its members share, or -1 when they do not. */
  private static int[] pureCells(CellIndex index, int[] assignment) {
    int[] members = index.members();
    int[] cluster = new int[index.cellCount()];
    for (int c = 0; c < cluster.length; c++) {
      cluster[c] = index.start(c) < index.start(c + 1) ? assignment[members[index.start(c)]] : -1;
      for (int m = index.start(c); m < index.start(c + 1); m++) {
        if (assignment[members[m]] != cluster[c]) {
          cluster[c] = -1;
          break;
        }
      }
    }
    return cluster;
  }

  private int clusterCount(Pool pool) {
    if (clusters != null) {
      return clusters;
    }
    if (pool.probabilities() != null) {
      return pool.probabilities().cols();
    }
    if (pool.head() != null) {
      return pool.head().classes();
    }
    throw new IllegalArgumentException(
        "probcover needs 'delta', or 'clusters' (or class probabilities or a head to count the"
            + " classes) to estimate it");
  }

  /**
   * Greedy max coverage on the graph, lazily: a max-heap holds each candidate's count of uncovered
   * out-neighbours as of the last time it was counted; counts only fall as items get covered, so a
   * stale count is an upper bound, and the top is recounted until its count is current. That top is
   * the exact greedy choice (the most newly covered, the lowest row on ties), the same as
   * recounting everyone each step, without in-edges.
   */
  private static final class Cover {
    private final Pool pool;
    private final RadiusGraph graph;
    private final boolean[] covered;
    private int coveredVersion;

    Cover(Pool pool, RadiusGraph graph) {
      this.pool = pool;
      this.graph = graph;
      covered = new boolean[graph.size()];
      for (int row = 0; row < graph.size(); row++) {
        if (pool.isLabelled(row)) {
          coverBallOf(row);
        }
      }
    }

    List<Pick> greedy(int count, SplittableRandom random) {
      int n = graph.size();
      int[] rows = pool.unlabelledRows();
      int[] uncovered = new int[n];
      int[] countedAt = new int[n];
      for (int row : rows) {
        uncovered[row] = uncoveredAround(row);
        countedAt[row] = coveredVersion;
      }
      LazyMaxHeap heap = new LazyMaxHeap(rows, uncovered);
      boolean[] taken = new boolean[n];
      List<Pick> picks = new ArrayList<>(count);
      while (picks.size() < count) {
        int best = heap.top();
        if (countedAt[best] != coveredVersion) {
          uncovered[best] = uncoveredAround(best);
          countedAt[best] = coveredVersion;
          heap.topDecreased();
          continue;
        }
        int score = uncovered[best];
        if (score == 0) {
          // everything is covered: every count is 0 from now on
          best = uniformUntaken(rows, taken, random);
        } else {
          heap.pop();
        }
        picks.add(new Pick(pool.id(best), best, score));
        taken[best] = true;
        coverBallOf(best);
      }
      return picks;
    }

    private int uncoveredAround(int row) {
      int[] targets = graph.outTargets(row);
      int from = graph.outStart(row);
      int count = 0;
      for (int e = from; e < from + graph.outDegree(row); e++) {
        count += covered[targets[e]] ? 0 : 1;
      }
      return count;
    }

    private void coverBallOf(int row) {
      int[] targets = graph.outTargets(row);
      int from = graph.outStart(row);
      for (int e = from; e < from + graph.outDegree(row); e++) {
        if (!covered[targets[e]]) {
          covered[targets[e]] = true;
          coveredVersion++;
        }
      }
    }

    private static int uniformUntaken(int[] rows, boolean[] taken, SplittableRandom random) {
      int remaining = 0;
      for (int row : rows) {
        remaining += taken[row] ? 0 : 1;
      }
      int target = random.nextInt(remaining);
      for (int row : rows) {
        if (!taken[row] && target-- == 0) {
          return row;
        }
      }
      throw new IllegalStateException("no untaken row left");
    }
  }

  /** A binary max-heap of rows ordered by (count descending, row ascending). */
  private static final class LazyMaxHeap {
    private final int[] heap;
    private final int[] key;
    private int size;

    LazyMaxHeap(int[] rows, int[] key) {
      this.key = key;
      this.heap = rows.clone();
      this.size = rows.length;
      for (int i = size / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
    }

    int top() {
      return heap[0];
    }

    void pop() {
      heap[0] = heap[--size];
      siftDown(0);
    }

    void topDecreased() {
      siftDown(0);
    }

    private boolean above(int a, int b) {
      return key[a] > key[b] || (key[a] == key[b] && a < b);
    }

    private void siftDown(int i) {
      while (true) {
        int left = 2 * i + 1;
        if (left >= size) {
          return;
        }
        int best = left;
        if (left + 1 < size && above(heap[left + 1], heap[left])) {
          best = left + 1;
        }
        if (!above(heap[best], heap[i])) {
          return;
        }
        int t = heap[i];
        heap[i] = heap[best];
        heap[best] = t;
        i = best;
      }
    }
  }
}
