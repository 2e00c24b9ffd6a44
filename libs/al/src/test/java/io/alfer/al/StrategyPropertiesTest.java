package io.alfer.al;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.strategy.Strategies;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every strategy keeps on random pools. */
class StrategyPropertiesTest {
  static List<String> names() {
    return Strategies.names();
  }

  private static SelectionStrategy strategy(String name) {
    return Strategies.create(name, Map.of());
  }

  @ParameterizedTest
  @MethodSource("names")
  void picksExactlyTheBudgetOfDistinctUnlabelledIds(String name) {
    for (long seed = 1; seed <= 3; seed++) {
      Pool pool = Pools.random(300, 8, 4, 0.2, seed);
      Selection selection = strategy(name).select(pool, 25, seed);

      assertThat(selection.picks()).hasSize(25);
      assertThat(new HashSet<>(selection.ids())).hasSize(25);
      for (Pick pick : selection.picks()) {
        assertThat(pool.isLabelled(pick.row())).as("labelled row %s picked", pick.row()).isFalse();
        assertThat(pick.id()).isEqualTo(pool.id(pick.row()));
        assertThat(pick.score()).isNotNaN();
      }
      assertThat(selection.strategy()).isEqualTo(name);
      assertThat(selection.elapsed()).isPositive();
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void sameSeedSamePicks(String name) {
    Pool pool = Pools.random(250, 6, 3, 0.1, 7);
    List<String> first = strategy(name).select(pool, 30, 99).ids();
    List<String> second = strategy(name).select(pool, 30, 99).ids();
    assertThat(second).isEqualTo(first);
  }

  @ParameterizedTest
  @MethodSource("names")
  void budgetLargerThanThePoolTakesEveryUnlabelledItem(String name) {
    Pool pool = Pools.random(60, 5, 3, 0.3, 11);
    Selection selection = strategy(name).select(pool, 1000, 5);

    Set<Integer> expected = new HashSet<>();
    for (int row : pool.unlabelledRows()) {
      expected.add(row);
    }
    Set<Integer> picked = new HashSet<>();
    selection.picks().forEach(p -> picked.add(p.row()));
    assertThat(selection.picks()).hasSize(pool.unlabelledRows().length);
    assertThat(picked).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("names")
  void zeroBudgetPicksNothing(String name) {
    Pool pool = Pools.random(40, 4, 3, 0.2, 3);
    assertThat(strategy(name).select(pool, 0, 1).picks()).isEmpty();
  }
}
