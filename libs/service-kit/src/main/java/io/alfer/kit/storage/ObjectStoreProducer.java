package io.alfer.kit.storage;

import io.alfer.core.storage.ObjectStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the one {@link ObjectStore} of the process from {@code alfer.s3.*}, and refuses to start a
 * service that stores without the settings it needs.
 */
@ApplicationScoped
public class ObjectStoreProducer {
  @Produces
  @Singleton
  ObjectStore objectStore(S3Config config) {
    if (!config.enabled()) {
      throw new IllegalStateException(
          "object storage is disabled (alfer.s3.enabled=false) but this service asked for it");
    }
    return new ObjectStore(config.settings());
  }

  void check(@Observes StartupEvent event, S3Config config) {
    if (config.enabled()) {
      config.settings();
    }
  }
}
