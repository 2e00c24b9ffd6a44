package io.alfer.embed.work;

import io.alfer.core.storage.Matrix;
import io.alfer.embed.inference.BatchOutput;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.storage.Chunk;
import io.alfer.proto.v1.ImageIngested;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Runs a model over images in batches, their pixels read on a pool of fetch threads {@code
 * prefetchBatches} batches ahead of ONNX Runtime, so that I/O overlaps inference. The images of a
 * batch that have rows in pixel segments are read by one task (a segment is read once, then each
 * row is a copy); every other image — one PNG to GET and decode — by a task of its own, since those
 * reads wait on S3 and gain from running side by side. Few tasks matter on a CPU that ONNX
 * Runtime's threads fill: every task woken takes a core from them for a moment.
 */
final class Embedder {
  /** Told after each batch. */
  interface Progress {
    void batch(int images, long inferenceNanos);
  }

  private final PixelLoader loader;
  private final ExecutorService fetchPool;
  private final int batchSize;
  private final int prefetchBatches;

  Embedder(PixelLoader loader, ExecutorService fetchPool, int batchSize, int prefetchBatches) {
    this.loader = loader;
    this.fetchPool = fetchPool;
    this.batchSize = batchSize;
    this.prefetchBatches = prefetchBatches;
  }

  /**
   * Embeds {@code images}; an image that cannot be read or decoded is left out and reported.
   *
   * @throws io.alfer.core.storage.StorageException when S3 fails (nothing is returned)
   */
  EmbedResult embed(ModelSession session, List<ImageRef> images, Progress progress) {
    int n = images.size();
    int size = session.height();
    int area = size * size;
    List<CompletableFuture<byte[]>> pending = new ArrayList<>(n);
    List<String> ids = new ArrayList<>(n);
    List<BatchOutput> outputs = new ArrayList<>();
    List<EmbedResult.Failed> failures = new ArrayList<>();
    int window = batchSize * (prefetchBatches + 1);
    long readWait = 0;
    try {
      for (int from = 0; from < n; from += batchSize) {
        while (pending.size() < Math.min(n, from + window)) {
          int first = pending.size();
          pending.addAll(read(images.subList(first, Math.min(n, first + batchSize)), size));
        }
        int to = Math.min(n, from + batchSize);
        byte[] packed = new byte[(to - from) * area];
        int rows = 0;
        long waitStart = System.nanoTime();
        CompletableFuture.allOf(pending.subList(from, to).toArray(CompletableFuture[]::new))
            .exceptionally(e -> null)
            .join();
        readWait += System.nanoTime() - waitStart;
        for (int i = from; i < to; i++) {
          try {
            System.arraycopy(pending.get(i).join(), 0, packed, rows * area, area);
            ids.add(images.get(i).id());
            rows++;
          } catch (CompletionException e) {
            if (e.getCause() instanceof ImageFailure f) {
              failures.add(new EmbedResult.Failed(images.get(i), f.reason(), f.getMessage()));
            } else {
              throw e.getCause() instanceof RuntimeException r ? r : e;
            }
          }
          pending.set(i, null);
        }
        if (rows > 0) {
          long start = System.nanoTime();
          outputs.add(session.run(packed, rows));
          progress.batch(rows, System.nanoTime() - start);
        }
      }
    } finally {
      pending.stream().filter(f -> f != null).forEach(f -> f.cancel(false));
    }
    return new EmbedResult(join(ids, outputs, session), failures, readWait);
  }

  /**
   * Starts reading a batch's pixels: one future per image, in order, failing with an {@link
   * ImageFailure} for an image that cannot be read.
   */
  private List<CompletableFuture<byte[]>> read(List<ImageRef> batch, int size) {
    List<ImageIngested> fromSegments = new ArrayList<>();
    for (ImageRef image : batch) {
      if (loader.hasSegmentRow(image.event(), size)) {
        fromSegments.add(image.event());
      }
    }
    CompletableFuture<Object[]> segmentRows =
        fromSegments.isEmpty()
            ? CompletableFuture.completedFuture(new Object[0])
            : CompletableFuture.supplyAsync(() -> loadAll(fromSegments, size), fetchPool);
    List<CompletableFuture<byte[]>> out = new ArrayList<>(batch.size());
    int row = 0;
    for (ImageRef image : batch) {
      ImageIngested event = image.event();
      if (loader.hasSegmentRow(event, size)) {
        int j = row++;
        out.add(segmentRows.thenApply(rows -> pixelsOrThrow(rows[j])));
      } else {
        out.add(CompletableFuture.supplyAsync(() -> loader.load(event, size), fetchPool));
      }
    }
    return out;
  }

  /** Each image's pixels, or the {@link ImageFailure} that keeps it out, in order. */
  private Object[] loadAll(List<ImageIngested> batch, int size) {
    Object[] rows = new Object[batch.size()];
    for (int i = 0; i < rows.length; i++) {
      try {
        rows[i] = loader.load(batch.get(i), size);
      } catch (ImageFailure f) {
        rows[i] = f;
      }
    }
    return rows;
  }

  private static byte[] pixelsOrThrow(Object row) {
    if (row instanceof ImageFailure f) {
      throw f;
    }
    return (byte[]) row;
  }

  private static Chunk join(List<String> ids, List<BatchOutput> outputs, ModelSession session) {
    int d = session.embeddingDim();
    int c = session.classes();
    float[] e = new float[ids.size() * d];
    float[] p = new float[ids.size() * c];
    int row = 0;
    for (BatchOutput o : outputs) {
      System.arraycopy(o.embeddings(), 0, e, row * d, o.rows() * d);
      System.arraycopy(o.probabilities(), 0, p, row * c, o.rows() * c);
      row += o.rows();
    }
    return new Chunk(ids, new Matrix(ids.size(), d, e), new Matrix(ids.size(), c, p));
  }
}
