package io.alfer.embed.storage;

import io.alfer.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the {@link EmbeddingStore} on the process's {@link ObjectStore} (the service kit's). */
@ApplicationScoped
public class EmbeddingStoreProducer {
  @Produces
  @Singleton
  EmbeddingStore embeddingStore(ObjectStore store) {
    return new EmbeddingStore(store);
  }
}
