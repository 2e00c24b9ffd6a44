package io.alfer.embed.model;

import java.util.List;

/**
 * The outputs of a model for one posted image.
 *
 * @param modelId the model that ran
 * @param imageId the image's content id, as ingest would give it
 * @param provider execution provider: cpu or cuda
 * @param embedding the embedding
 * @param probabilities class probabilities (softmax of the logits), in taxonomy order; empty for
 *     encoders
 * @param classes the class names, in the same order; empty for encoders
 */
public record ImageEmbedding(
    String modelId,
    String imageId,
    String provider,
    float[] embedding,
    float[] probabilities,
    List<String> classes) {}
