package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void matchesAFullSortWithTiesToTheLowerRow() {
    SplittableRandom random = new SplittableRandom(3);
    double[] score = new double[500];
    for (int i = 0; i < score.length; i++) {
      score[i] = random.nextInt(50); // many ties
    }
    int[] rows = IntStream.range(0, 500).filter(i -> i % 3 != 0).toArray();
    int[] expected =
        IntStream.of(rows)
            .boxed()
            .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i))
            .limit(40)
            .mapToInt(Integer::intValue)
            .toArray();
    assertThat(TopK.largest(score, rows, 40)).containsExactly(expected);
  }

  @Test
  void nanRanksLast() {
    double[] score = {Double.NaN, 1, -5};
    assertThat(TopK.largest(score, new int[] {0, 1, 2}, 3)).containsExactly(1, 2, 0);
  }
}
