package io.alfer.embed.work;

import io.alfer.proto.v1.Split;

/**
 * The unit of work: one live model over the images of one dataset split that live in one partition
 * of {@code alfer.images}. Only the replica owning the partition runs it.
 */
public record WorkUnit(String modelId, String dataset, Split split, int partition) {}
