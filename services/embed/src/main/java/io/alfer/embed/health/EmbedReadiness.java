package io.alfer.embed.health;

import io.alfer.embed.inference.InferenceRuntime;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.work.EmbedWorker;
import io.alfer.embed.work.ImagePartitions;
import io.alfer.kit.health.ReadinessData;
import io.alfer.kit.health.ReadinessPart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What embed adds to the kit's {@code dependencies} check: {@code models} (the model announcements
 * replayed), {@code images} (every owned partition of the image topic read up to its end, with
 * {@code partitions}: which are) and {@code provider} (with {@code cudaUnavailable}: why CUDA is
 * not used, when it was asked for).
 */
@ApplicationScoped
public class EmbedReadiness {
  @Produces
  @Singleton
  ReadinessPart models(ModelRegistry registry) {
    return ReadinessPart.of("models", registry::caughtUp);
  }

  @Produces
  @Singleton
  ReadinessPart images(EmbedWorker worker) {
    return ReadinessPart.of(
        "images",
        () -> worker.partitions() != null && worker.partitions().caughtUp(),
        check -> {
          ImagePartitions partitions = worker.partitions();
          check.withData(
              "partitions", partitions == null ? "" : partitions.ownedCaughtUp().toString());
        });
  }

  @Produces
  @Singleton
  ReadinessData provider(InferenceRuntime runtime) {
    return check -> {
      check.withData("provider", runtime.provider());
      if (!runtime.fallbackReason().isEmpty()) {
        check.withData("cudaUnavailable", runtime.fallbackReason());
      }
    };
  }
}
