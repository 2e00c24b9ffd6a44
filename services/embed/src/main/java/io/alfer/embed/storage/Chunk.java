package io.alfer.embed.storage;

import io.alfer.core.storage.Matrix;
import java.util.List;

/**
 * Rows of model output for a list of images.
 *
 * @param ids image ids in row order
 * @param embeddings one row per id
 * @param probabilities one row per id; zero columns for encoders
 */
public record Chunk(List<String> ids, Matrix embeddings, Matrix probabilities) {
  public Chunk {
    if (embeddings.rows() != ids.size() || probabilities.rows() != ids.size()) {
      throw new IllegalArgumentException(
          "%d ids but %d embedding and %d probability rows"
              .formatted(ids.size(), embeddings.rows(), probabilities.rows()));
    }
    ids = List.copyOf(ids);
  }

  /** Rows of {@code parts} one after the other. */
  public static Chunk concat(List<Chunk> parts, int embeddingDim, int classes) {
    int rows = parts.stream().mapToInt(c -> c.ids().size()).sum();
    String[] ids = new String[rows];
    float[] e = new float[rows * embeddingDim];
    float[] p = new float[rows * classes];
    int at = 0;
    for (Chunk c : parts) {
      int n = c.ids().size();
      if (n > 0 && (c.embeddings().cols() != embeddingDim || c.probabilities().cols() != classes)) {
        throw new IllegalArgumentException("parts of different widths cannot be joined");
      }
      for (int i = 0; i < n; i++) {
        ids[at + i] = c.ids().get(i);
      }
      System.arraycopy(c.embeddings().values(), 0, e, at * embeddingDim, n * embeddingDim);
      System.arraycopy(c.probabilities().values(), 0, p, at * classes, n * classes);
      at += n;
    }
    return new Chunk(List.of(ids), new Matrix(rows, embeddingDim, e), new Matrix(rows, classes, p));
  }
}
