package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlisterStrategyTest {
  private final Pool pool = Pools.random(120, 6, 3, 0.2, 31);

  @Test
  void firstPickMaximisesTheTaylorEstimateWhichMatchesTheTrueValidationLossDrop() {
    double lr = 1e-3;
    Pick first =
        Strategies.create("glister", Map.of("lr", "" + lr, "greedy", "standard"))
            .select(pool, 1, 0)
            .picks()
            .get(0);

    double before = validationLoss(pool.head());
    double bestDrop = Double.NEGATIVE_INFINITY;
    double firstDrop = 0;
    for (int row : pool.unlabelledRows()) {
      double drop = before - validationLoss(stepped(pool.head(), row, lr));
      bestDrop = Math.max(bestDrop, drop);
      firstDrop = row == first.row() ? drop : firstDrop;
    }
    assertThat(first.score()).isPositive().isCloseTo(firstDrop, within(firstDrop * 0.01));
    assertThat(firstDrop).isCloseTo(bestDrop, within(bestDrop * 0.01));
  }

  @Test
  void needsALabelledValidationSet() {
    Pool unlabelled =
        Pool.builder(Pools.ids(2), new boolean[2])
            .embeddings(Matrix.ofRows(new float[] {1}, new float[] {2}))
            .head(new LinearHead(Matrix.ofRows(new float[] {1}, new float[] {-1}), new float[2]))
            .labels(new int[] {-1, -1})
            .build();
    assertThatThrownBy(() -> Strategies.create("glister").select(unlabelled, 1, 0))
        .hasMessageContaining("glister needs at least one labelled item");
  }

  /** Mean cross-entropy of the labelled items under {@code head}. */
  private double validationLoss(LinearHead head) {
    Matrix p = Pools.softmax(pool.embeddings(), head);
    double loss = 0;
    int count = 0;
    for (int row = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        loss -= Math.log(p.get(row, pool.labels()[row]));
        count++;
      }
    }
    return loss / count;
  }

  /** The head after one gradient step on {@code row} under its predicted label. */
  private LinearHead stepped(LinearHead head, int row, double lr) {
    Matrix p = pool.probabilities();
    int c = head.classes();
    int d = head.dimension();
    int label = 0;
    for (int k = 1; k < c; k++) {
      label = p.get(row, k) > p.get(row, label) ? k : label;
    }
    float[] w = head.weights().data().clone();
    for (int k = 0; k < c; k++) {
      double a = p.get(row, k) - (k == label ? 1 : 0);
      for (int t = 0; t < d; t++) {
        w[k * d + t] -= (float) (lr * a * pool.embeddings().get(row, t));
      }
    }
    return new LinearHead(new Matrix(w, c, d), head.bias());
  }
}
