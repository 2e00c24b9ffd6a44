package io.alfer.experiment.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.al.Pool;
import io.alfer.al.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitialSelectionTest {
  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.format("%08x", i * 2654435761L & 0xffffffffL));
    }
    ids.sort(String::compareTo);
    return ids;
  }

  @Test
  void theRandomInitialSetIsTheRandomStrategyOnTheSortedUnlabelledPool() {
    List<String> ids = ids(500);
    List<String> expected =
        Strategies.create("random", Map.of())
            .select(
                Pool.builder(ids.toArray(String[]::new), new boolean[ids.size()]).build(), 50, 7L)
            .ids();

    assertThat(InitialSelection.random(ids, 50, 7L)).isEqualTo(expected).hasSize(50);
    assertThat(InitialSelection.random(ids, 50, 7L)).isEqualTo(expected);
    assertThat(InitialSelection.random(ids, 50, 8L)).isNotEqualTo(expected);
  }

  @Test
  void anUnsortedPoolIsRefused() {
    List<String> ids = new ArrayList<>(ids(10));
    java.util.Collections.swap(ids, 2, 3);
    assertThatThrownBy(() -> InitialSelection.random(ids, 3, 1L))
        .hasMessageContaining("sorted ascending");
  }
}
