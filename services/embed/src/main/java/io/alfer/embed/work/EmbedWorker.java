package io.alfer.embed.work;

import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.storage.ObjectStore;
import io.alfer.embed.config.EmbedConfig;
import io.alfer.embed.messaging.Announcer;
import io.alfer.embed.messaging.DeadLetterSink;
import io.alfer.embed.metrics.EmbedMetrics;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.storage.EmbeddingStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs every live model over its dataset, shared among the replicas in two steps
 * (adr/0002-work-items.md): the {@link WorkPlanner} of the replica that owns a partition of {@code
 * alfer.images} ({@link ImagePartitions}, a consumer group) cuts that partition's images into work
 * items on {@code alfer.embed.work}; the {@link ItemWorker}s of all replicas (another consumer
 * group, whose lag KEDA scales on) embed the items, and the one that stores the last item of a pass
 * announces it.
 */
@ApplicationScoped
public class EmbedWorker {
  private final EmbedConfig config;
  private final ObjectStore objects;
  private final EmbeddingStore store;
  private final ModelRegistry registry;
  private final Announcer announcer;
  private final DeadLetterSink deadLetters;
  private final EmbedMetrics metrics;
  private final Map<String, Object> kafkaConfig;
  private ImagePartitions partitions;
  private WorkPlanner planner;
  private ItemWorker worker;
  private ExecutorService fetchPool;
  private ScheduledExecutorService retries;
  private Thread planning;
  private Thread working;

  public EmbedWorker(
      EmbedConfig config,
      ObjectStore objects,
      EmbeddingStore store,
      ModelRegistry registry,
      Announcer announcer,
      DeadLetterSink deadLetters,
      EmbedMetrics metrics,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.config = config;
    this.objects = objects;
    this.store = store;
    this.registry = registry;
    this.announcer = announcer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.kafkaConfig = kafkaConfig;
  }

  void onStart(@Observes StartupEvent event) {
    fetchPool =
        Executors.newFixedThreadPool(
            config.fetchParallelism(), DaemonThreads.numbered("embed-fetch"));
    retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("embed-retry"));
    Embedder embedder =
        new Embedder(
            new PixelLoader(
                objects,
                new SegmentCache(objects, config.segmentCacheMb() * 1024L * 1024L),
                config.maxPixels()),
            fetchPool,
            config.batchSize(),
            config.prefetchBatches());
    Properties connection = KafkaConnection.settings(kafkaConfig);
    partitions = new ImagePartitions(connection, config.consumerGroup(), deadLetters);
    Passes passes =
        new Passes(store, announcer, metrics, partitions::partitionCount, config.instance());
    planner =
        new WorkPlanner(
            registry,
            store,
            announcer,
            passes,
            metrics,
            config.itemImages(),
            config.instance(),
            config.retryDelay(),
            retries);
    planner.partitions(partitions);
    worker =
        new ItemWorker(
            connection,
            config.workGroup(),
            registry,
            store,
            embedder,
            passes,
            deadLetters,
            metrics,
            config.retryDelay(),
            config.workSessionTimeout());
    registry.addListener(planner);
    metrics.backlog(worker::remaining);
    partitions.start(planner);
    planning = DaemonThreads.daemon(planner::run, "embed-planner");
    planning.start();
    working = DaemonThreads.daemon(worker::run, "embed-worker");
    working.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (worker != null) {
      worker.stop(); // wakes its consumer up: interrupting it would break the consumer's close
    }
    if (planning != null) {
      planning.interrupt();
    }
    for (Thread t : new Thread[] {planning, working}) {
      if (t != null) {
        try {
          t.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (partitions != null) {
      partitions.close();
    }
    if (retries != null) {
      retries.shutdownNow();
    }
    if (fetchPool != null) {
      fetchPool.shutdownNow();
    }
  }

  /** This replica's share of {@code alfer.images}. */
  public ImagePartitions partitions() {
    return partitions;
  }

  /** Images of the work item in progress here not embedded yet. */
  public long backlog() {
    return worker == null ? 0 : worker.remaining();
  }
}
