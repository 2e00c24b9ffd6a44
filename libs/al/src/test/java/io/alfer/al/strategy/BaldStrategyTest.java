package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaldStrategyTest {
  // two classes told apart by the sign of x0 - x1; row 2 is the zero vector
  private final Pool pool =
      Pool.builder(Pools.ids(3), new boolean[3])
          .embeddings(
              Matrix.ofRows(new float[] {2f, 1.5f}, new float[] {3f, -3f}, new float[] {0f, 0f}))
          .head(
              new LinearHead(
                  Matrix.ofRows(new float[] {1f, -1f}, new float[] {-1f, 1f}), new float[2]))
          .build();

  @Test
  void withoutDropoutEveryPassAgreesSoBaldIsZero() {
    Selection s =
        Strategies.create("bald", Map.of("dropout", "0", "samples", "8")).select(pool, 3, 1);
    for (Pick pick : s.picks()) {
      assertThat(pick.score()).isLessThan(1e-9);
    }
  }

  @Test
  void withDropoutTheUncertainRowDisagreesMost() {
    Selection s =
        Strategies.create("bald", Map.of("dropout", "0.5", "samples", "50")).select(pool, 3, 1);
    // row 0 sits near the boundary: dropping x0 or x1 flips the prediction
    assertThat(s.picks().get(0).id()).isEqualTo("r0");
    assertThat(s.picks().get(0).score()).isGreaterThan(0.05);
    // the zero vector gives the same logits whatever the mask
    Pick zero = s.picks().stream().filter(p -> p.id().equals("r2")).findFirst().orElseThrow();
    assertThat(zero.score()).isLessThan(1e-9);
  }

  @Test
  void mutualInformationIsBoundedByTheLogOfTheClassCount() {
    Pool random = Pools.random(200, 16, 5, 0.1, 4);
    Selection s = Strategies.create("bald").select(random, 50, 2);
    assertThat(s.picks().get(0).score()).isPositive().isLessThanOrEqualTo(Math.log(5));
    for (int i = 1; i < s.picks().size(); i++) {
      assertThat(s.picks().get(i).score()).isLessThanOrEqualTo(s.picks().get(i - 1).score());
    }
  }
}
