package io.alfer.embed.inference;

import io.alfer.embed.config.EmbedConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the one {@link InferenceRuntime} of the process from {@code alfer.embed.*}. */
@ApplicationScoped
public class RuntimeProducer {
  @Produces
  @Singleton
  InferenceRuntime runtime(EmbedConfig config) {
    return new InferenceRuntime(
        config.device(), config.cudaDeviceId(), config.intraOpThreads(), config.intraOpSpinning());
  }
}
