package io.alfer.select.storage;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import io.alfer.select.config.S3Config;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the one {@link ObjectStore} of the process from {@code alfer.s3.*}. */
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
}
