package io.alfer.kit.claim;

import io.alfer.core.claim.Claims;
import io.alfer.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the one {@link Claims} of the process, on its object store, from {@code alfer.claims.*}.
 */
@ApplicationScoped
public class ClaimsProducer {
  @Produces
  @Singleton
  Claims claims(ObjectStore store, ClaimsConfig config) {
    return new Claims(store, config.inlineMaxBytes());
  }
}
