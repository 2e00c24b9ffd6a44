package io.alfer.embed.storage;

import io.alfer.proto.v1.MatrixRef;
import io.alfer.proto.v1.ObjectRef;
import java.util.Optional;

/**
 * Where a chunk was stored.
 *
 * @param ids the id list
 * @param embeddings the embedding matrix
 * @param probabilities the probability matrix; empty for encoders
 * @param count rows
 */
public record StoredChunk(
    ObjectRef ids, MatrixRef embeddings, Optional<MatrixRef> probabilities, int count) {}
