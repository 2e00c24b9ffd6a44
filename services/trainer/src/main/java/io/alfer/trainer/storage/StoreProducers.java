package io.alfer.trainer.storage;

import io.alfer.core.storage.ObjectStore;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.data.ShardCache;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import io.alfer.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the stores of models and shards on the process's {@link ObjectStore} (the service kit's).
 */
@ApplicationScoped
public class StoreProducers {
  @Produces
  @Singleton
  ModelStore modelStore(ObjectStore store) {
    return ModelStore.on(store);
  }

  @Produces
  @Singleton
  ShardStore shardStore(ObjectStore store, TrainerConfig config) {
    return new ShardStore(BlobStore.of(store), new ShardCache(config.cacheDir()));
  }
}
