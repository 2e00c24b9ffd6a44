package io.alfer.embed.health;

import io.alfer.embed.inference.InferenceRuntime;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.work.EmbedWorker;
import io.alfer.embed.work.ImagePartitions;
import io.alfer.kit.health.ReadinessData;
import io.alfer.kit.health.ReadinessPart;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * What embed adds to the kit's {@code dependencies} check: the models have been replayed, the owned
 * image partitions have been read up to their end (with which are), and the execution provider in
 * use (with why CUDA is not, when it was asked for).
 */
public final class EmbedReadiness {
  private EmbedReadiness() {}

  /** {@code models}: the model announcements replayed. */
  @ApplicationScoped
  public static class Models implements ReadinessPart {
    private final ModelRegistry registry;

    public Models(ModelRegistry registry) {
      this.registry = registry;
    }

    @Override
    public String readinessName() {
      return "models";
    }

    @Override
    public boolean ready() {
      return registry.caughtUp();
    }
  }

  /** {@code images}: every owned partition of the image topic read up to its end. */
  @ApplicationScoped
  public static class Images implements ReadinessPart {
    private final EmbedWorker worker;

    public Images(EmbedWorker worker) {
      this.worker = worker;
    }

    @Override
    public String readinessName() {
      return "images";
    }

    @Override
    public boolean ready() {
      ImagePartitions partitions = worker.partitions();
      return partitions != null && partitions.caughtUp();
    }

    @Override
    public void describe(HealthCheckResponseBuilder check) {
      ImagePartitions partitions = worker.partitions();
      check.withData("partitions", partitions == null ? "" : partitions.ownedCaughtUp().toString());
    }
  }

  /** {@code provider} (and {@code cudaUnavailable}): how the models run. */
  @ApplicationScoped
  public static class Provider implements ReadinessData {
    private final InferenceRuntime runtime;

    public Provider(InferenceRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void describe(HealthCheckResponseBuilder check) {
      check.withData("provider", runtime.provider());
      if (!runtime.fallbackReason().isEmpty()) {
        check.withData("cudaUnavailable", runtime.fallbackReason());
      }
    }
  }
}
