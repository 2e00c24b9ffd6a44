package io.alfer.al.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Runs loops over rows in fixed-size chunks on a ForkJoin pool sized by the available processors.
 * Chunk boundaries depend only on the row count and chunk size, never on the thread count, so a
 * per-chunk reduction combined in chunk order gives the same result on any machine.
 */
public final class Parallel {
  private static final ForkJoinPool POOL =
      new ForkJoinPool(Runtime.getRuntime().availableProcessors());

  private Parallel() {}

  /** The body of one chunk: rows {@code [from, to)} of chunk number {@code chunk}. */
  @FunctionalInterface
  public interface ChunkBody {
    void run(int chunk, int from, int to);
  }

  /** Number of chunks {@link #forChunks} uses for {@code n} rows. */
  public static int chunkCount(int n, int chunkSize) {
    return (n + chunkSize - 1) / chunkSize;
  }

  /** Runs {@code body} on every chunk of {@code [0, n)}, in parallel, and waits for all. */
  public static void forChunks(int n, int chunkSize, ChunkBody body) {
    int chunks = chunkCount(n, chunkSize);
    if (chunks <= 1) {
      if (n > 0) {
        body.run(0, 0, n);
      }
      return;
    }
    List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int chunk = c;
      int from = c * chunkSize;
      int to = Math.min(n, from + chunkSize);
      tasks.add(
          new RecursiveAction() {
            @Override
            protected void compute() {
              body.run(chunk, from, to);
            }
          });
    }
    if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == POOL) {
      ForkJoinTask.invokeAll(tasks);
    } else {
      POOL.submit(
              new RecursiveAction() {
                @Override
                protected void compute() {
                  invokeAll(tasks);
                }
              })
          .join();
    }
  }
}
