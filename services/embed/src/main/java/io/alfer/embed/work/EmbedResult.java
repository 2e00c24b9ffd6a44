package io.alfer.embed.work;

import io.alfer.embed.storage.Chunk;
import java.util.List;

/**
 * What running a model over a list of images gave.
 *
 * @param chunk the rows of every image that could be embedded, in input order
 * @param failures the images left out, with why
 */
record EmbedResult(Chunk chunk, List<Failed> failures, long readWaitNanos) {
  /** An image left out. */
  record Failed(ImageRef image, String reason, String message) {}
}
