package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import org.junit.jupiter.api.Test;

class TypiClustStrategyTest {
  @Test
  void takesTheCentreOfEachBlobFirst() {
    Pool pool =
        Pool.builder(Pools.ids(100), new boolean[100]).embeddings(Blobs.grids(4, 1f)).build();
    Selection s = Strategies.create("typiclust").select(pool, 4, 3);

    assertThat(s.picks())
        .extracting(p -> Blobs.blobOf(p.row()))
        .containsExactlyInAnyOrder(0, 1, 2, 3);
    // the centre of a grid has the smallest mean distance to its 12 nearest neighbours
    assertThat(s.picks()).extracting(Pick::row).allMatch(row -> row % 25 == 12);
  }

  @Test
  void skipsTheBlobThatAlreadyHasALabel() {
    boolean[] labelled = new boolean[100];
    labelled[30] = true; // blob 1
    Pool pool = Pool.builder(Pools.ids(100), labelled).embeddings(Blobs.grids(4, 1f)).build();
    Selection s = Strategies.create("typiclust").select(pool, 3, 8);

    assertThat(s.picks()).extracting(p -> Blobs.blobOf(p.row())).containsExactlyInAnyOrder(0, 2, 3);
  }
}
