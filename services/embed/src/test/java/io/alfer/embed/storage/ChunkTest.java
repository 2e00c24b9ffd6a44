package io.alfer.embed.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.storage.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkTest {

  @Test
  void chunksJoinInOrder() {
    Chunk a =
        new Chunk(
            List.of("x"), new Matrix(1, 2, new float[] {1, 2}), new Matrix(1, 1, new float[] {1}));
    Chunk empty =
        new Chunk(List.of(), new Matrix(0, 2, new float[0]), new Matrix(0, 1, new float[0]));
    Chunk b =
        new Chunk(
            List.of("y", "z"),
            new Matrix(2, 2, new float[] {3, 4, 5, 6}),
            new Matrix(2, 1, new float[] {0.5f, 0.25f}));
    Chunk joined = Chunk.concat(List.of(a, empty, b), 2, 1);
    assertThat(joined.ids()).containsExactly("x", "y", "z");
    assertThat(joined.embeddings().values()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(joined.probabilities().values()).containsExactly(1, 0.5f, 0.25f);
  }
}
