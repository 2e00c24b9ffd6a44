package io.alfer.cli.bench.select;

import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.kernel.CellIndex;
import io.alfer.al.kernel.EmbeddingSpace;
import io.alfer.al.kernel.Parallel;
import io.alfer.al.kernel.RadiusGraph;
import io.alfer.al.strategy.ProbCoverStrategy;
import io.alfer.al.strategy.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./alfer bench select --quality}: ProbCover's one approximation, the inverted-file search
 * of its neighbour graph ({@code probe} cells, default 4), against the exact graph ({@code
 * probe=0}, O(n²·d), so at a size where that runs), on the same synthetic pool, δ and seed. Two
 * measures of the picks (with the labelled items): the objective ProbCover maximises, the part of
 * the pool their out-lists cover in the exact graph (each item's 200 nearest within δ); and the
 * part of the pool within δ of them (no cap), written out by brute force.
 */
final class ProbCoverQuality {
  private ProbCoverQuality() {}

  /** Runs the comparison for each width and prints its last line. */
  static void run(int n, List<Integer> dims, int classes, int budget, int labelled, long seed) {
    double worst = Double.POSITIVE_INFINITY;
    List<String> finals = new ArrayList<>();
    for (int dim : dims) {
      Pool pool = SyntheticPool.generate(n, dim, classes, labelled, seed);
      double delta =
          ((ProbCoverStrategy) Strategies.create("probcover", Map.of())).delta(pool, seed);
      Selection approximate = Strategies.create("probcover").select(pool, budget, seed);
      Selection exact =
          Strategies.create("probcover", Map.of("probe", "0")).select(pool, budget, seed);
      RadiusGraph graph =
          RadiusGraph.build(
              CellIndex.build(EmbeddingSpace.unit(pool.embeddings()), new SplittableRandom(seed)),
              delta,
              200,
              Integer.MAX_VALUE);
      double inGraph = coveredInGraph(pool, graph, approximate.picks());
      double exactInGraph = coveredInGraph(pool, graph, exact.picks());
      double covered = covered(pool, delta, approximate.picks());
      double exactCovered = covered(pool, delta, exact.picks());
      worst = Math.min(worst, inGraph / exactInGraph);
      System.out.printf(
          Locale.ROOT,
          "d=%d probcover delta=%.4f: probe=4 %.2f s, exact %.2f s, picks shared %d/%d;"
              + " covered in the exact graph %.4f vs %.4f; within delta %.4f vs %.4f%n",
          dim,
          delta,
          approximate.elapsed().toNanos() / 1e9,
          exact.elapsed().toNanos() / 1e9,
          shared(approximate.picks(), exact.picks()),
          budget,
          inGraph,
          exactInGraph,
          covered,
          exactCovered);
      finals.add(
          String.format(
              Locale.ROOT,
              "graph_covered_%d=%.4f exact_graph_covered_%d=%.4f",
              dim,
              inGraph,
              dim,
              exactInGraph));
    }
    System.out.printf(Locale.ROOT, "%s covered_ratio_min=%.4f%n", String.join(" ", finals), worst);
  }

  /** Fraction of the pool in the out-lists of the labelled items and the picks. */
  static double coveredInGraph(Pool pool, RadiusGraph graph, List<Pick> picks) {
    boolean[] covered = new boolean[pool.size()];
    List<Integer> centres = new ArrayList<>();
    for (int row = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        centres.add(row);
      }
    }
    picks.forEach(p -> centres.add(p.row()));
    for (int i : centres) {
      int[] targets = graph.outTargets(i);
      for (int e = graph.outStart(i); e < graph.outStart(i) + graph.outDegree(i); e++) {
        covered[targets[e]] = true;
      }
    }
    int count = 0;
    for (boolean c : covered) {
      count += c ? 1 : 0;
    }
    return (double) count / pool.size();
  }

  /** Fraction of the pool within {@code delta} of a labelled item or a pick, by brute force. */
  static double covered(Pool pool, double delta, List<Pick> picks) {
    EmbeddingSpace space = EmbeddingSpace.unit(pool.embeddings());
    List<Integer> centres = new ArrayList<>();
    for (int row = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        centres.add(row);
      }
    }
    picks.forEach(p -> centres.add(p.row()));
    int[] balls = centres.stream().mapToInt(Integer::intValue).toArray();
    int n = pool.size();
    int chunks = Parallel.chunkCount(n, 1024);
    int[] counts = new int[chunks];
    double squared = delta * delta;
    Parallel.forChunks(
        n,
        1024,
        (chunk, from, to) -> {
          double[] distances = new double[balls.length];
          for (int i = from; i < to; i++) {
            space.squaredDistances(i, balls, 0, balls.length, distances);
            for (double d : distances) {
              if (d < squared) {
                counts[chunk]++;
                break;
              }
            }
          }
        });
    long total = 0;
    for (int c : counts) {
      total += c;
    }
    return (double) total / n;
  }

  private static int shared(List<Pick> a, List<Pick> b) {
    java.util.Set<Integer> rows = new java.util.HashSet<>();
    a.forEach(p -> rows.add(p.row()));
    int shared = 0;
    for (Pick p : b) {
      shared += rows.contains(p.row()) ? 1 : 0;
    }
    return shared;
  }
}
