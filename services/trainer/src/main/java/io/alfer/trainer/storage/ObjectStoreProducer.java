package io.alfer.trainer.storage;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.data.ShardCache;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import io.alfer.trainer.config.S3Config;
import io.alfer.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the one {@link ObjectStore} of the process and the stores of models and shards on it. */
@ApplicationScoped
public class ObjectStoreProducer {
  @Produces
  @Singleton
  ObjectStore objectStore(S3Config config) {
    return new ObjectStore(
        new S3Settings(
            config.endpoint(),
            config.accessKey(),
            config.secretKey(),
            config.bucket(),
            config.region()));
  }

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
