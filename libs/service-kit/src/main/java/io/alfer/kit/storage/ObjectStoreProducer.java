package io.alfer.kit.storage;

import io.alfer.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the one {@link ObjectStore} of the process from {@code alfer.s3.*}. */
@ApplicationScoped
public class ObjectStoreProducer {
  @Produces
  @Singleton
  ObjectStore objectStore(S3Config config) {
    return new ObjectStore(config.settings());
  }
}
