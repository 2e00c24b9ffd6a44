package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.Matrix;
import io.alfer.al.Pools;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RadiusGraphTest {
  private final Matrix x = Pools.random(600, 3, 2, 0, 13).embeddings();
  private final CellIndex index = CellIndex.build(new EmbeddingSpace(x), new SplittableRandom(1));

  @Test
  void edgesAreExactlyThePairsCloserThanTheRadius() {
    RadiusGraph graph = RadiusGraph.build(index, 0.8, 10_000, Integer.MAX_VALUE);
    long edges = 0;
    for (int i = 0; i < x.rows(); i++) {
      List<Integer> out = out(graph, i);
      for (int j = 0; j < x.rows(); j++) {
        double d = distance(i, j);
        if (Math.abs(d - 0.8) > 1e-5) { // float rounding may go either way at the boundary
          assertThat(out.contains(j))
              .as("edge %s -> %s at distance %s", i, j, d)
              .isEqualTo(d < 0.8);
        }
      }
      edges += out.size();
    }
    assertThat(graph.edges()).isEqualTo(edges);
    assertThat(edges).isGreaterThan(2L * x.rows()); // more than the self loops
  }

  @Test
  void theCapKeepsTheNearest() {
    RadiusGraph graph = RadiusGraph.build(index, 1.5, 5, Integer.MAX_VALUE);
    for (int row = 0; row < x.rows(); row++) {
      int i = row;
      List<Integer> out = out(graph, i);
      assertThat(out).hasSizeLessThanOrEqualTo(5).contains(i);
      double farthestKept = out.stream().mapToDouble(j -> distance(i, j)).max().orElseThrow();
      long closerDropped =
          java.util.stream.IntStream.range(0, x.rows())
              .filter(j -> !out.contains(j) && distance(i, j) < farthestKept - 1e-6)
              .count();
      assertThat(closerDropped).isZero();
    }
  }

  private List<Integer> out(RadiusGraph graph, int i) {
    List<Integer> out = new ArrayList<>();
    for (int e = graph.outStart(i); e < graph.outStart(i) + graph.outDegree(i); e++) {
      out.add(graph.outTargets(i)[e]);
    }
    return out;
  }

  private double distance(int i, int j) {
    double s = 0;
    for (int t = 0; t < x.cols(); t++) {
      double d = x.get(i, t) - x.get(j, t);
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
