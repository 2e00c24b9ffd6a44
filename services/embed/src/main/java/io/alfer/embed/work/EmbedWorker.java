package io.alfer.embed.work;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.embed.config.EmbedConfig;
import io.alfer.embed.inference.ModelClosedException;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.messaging.Announcer;
import io.alfer.embed.messaging.DeadLetterSink;
import io.alfer.embed.metrics.EmbedMetrics;
import io.alfer.embed.model.ModelEntry;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.model.ModelState;
import io.alfer.embed.model.ModelUnavailableException;
import io.alfer.embed.storage.EmbeddingStore;
import io.alfer.embed.storage.StoredChunk;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs every live model over the images of the {@code alfer.images} partitions this replica owns
 * (see {@code adr/0001-work-sharing.md}). For each {@link WorkUnit} — model × split × partition —
 * it writes the partition's part of the full pass; the replica that completes the last part joins
 * them and announces the full pass on {@code alfer.embeddings}. Images that arrive after a part was
 * written are embedded as an increment and announced as such. Work units are queued (deduplicated)
 * and run one at a time on one thread; a unit that fails on S3 or Kafka is retried after {@code
 * alfer.embed.retry-delay}.
 */
@ApplicationScoped
public class EmbedWorker implements ImagePartitions.Listener, ModelRegistry.Listener {
  private static final Logger LOG = Logger.getLogger(EmbedWorker.class);

  private final EmbedConfig config;
  private final ObjectStore objects;
  private final EmbeddingStore store;
  private final ModelRegistry registry;
  private final Announcer announcer;
  private final DeadLetterSink deadLetters;
  private final EmbedMetrics metrics;
  private final Map<String, Object> kafkaConfig;
  private final Set<WorkUnit> queue = new LinkedHashSet<>();
  private final Map<WorkUnit, Coverage> coverage = new ConcurrentHashMap<>();
  private final AtomicLong runningRemaining = new AtomicLong();
  private volatile boolean running = true;
  private ImagePartitions partitions;
  private ExecutorService fetchPool;
  private ScheduledExecutorService retries;
  private Embedder embedder;
  private Thread thread;

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
    AtomicInteger threads = new AtomicInteger();
    fetchPool =
        Executors.newFixedThreadPool(
            config.fetchParallelism(), r -> daemon(r, "embed-fetch-" + threads.incrementAndGet()));
    retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "embed-retry"));
    embedder =
        new Embedder(
            new PixelLoader(
                objects,
                new SegmentCache(objects, config.segmentCacheMb() * 1024L * 1024L),
                config.maxPixels()),
            fetchPool,
            config.batchSize(),
            config.prefetchBatches());
    registry.addListener(this);
    partitions =
        new ImagePartitions(
            KafkaConnection.settings(kafkaConfig), config.consumerGroup(), deadLetters);
    metrics.backlog(this::backlog);
    partitions.start(this);
    thread = daemon(this::work, "embed-worker");
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
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

  /** Images this replica still has to embed: queued units and the one running. */
  public long backlog() {
    List<WorkUnit> waiting;
    synchronized (queue) {
      waiting = List.copyOf(queue);
    }
    long total = runningRemaining.get();
    for (WorkUnit u : waiting) {
      int images = partitions.count(u.partition(), u.dataset(), u.split());
      Coverage c = coverage.get(u);
      total += Math.max(0, images - (c == null ? 0 : c.size()));
    }
    return total;
  }

  // --- what starts work --------------------------------------------------------------------

  @Override
  public void caughtUp(int partition) {
    registry.live().forEach(m -> enqueueAll(m, partition));
  }

  @Override
  public void revoked(int partition) {
    coverage.keySet().removeIf(u -> u.partition() == partition);
  }

  @Override
  public void imagesAdded(int partition, String dataset, Split split) {
    for (ModelEntry m : registry.live(dataset)) {
      if (m.splits().contains(split)) {
        enqueue(new WorkUnit(m.id(), dataset, split, partition));
      }
    }
  }

  @Override
  public void modelLive(ModelEntry model) {
    if (partitions != null) {
      partitions.ownedCaughtUp().forEach(p -> enqueueAll(model, p));
    }
  }

  @Override
  public void modelRetired(ModelEntry model) {
    coverage.keySet().removeIf(u -> u.modelId().equals(model.id()));
  }

  private void enqueueAll(ModelEntry model, int partition) {
    for (Split split : model.splits()) {
      enqueue(new WorkUnit(model.id(), model.model().getDataset(), split, partition));
    }
  }

  private void enqueue(WorkUnit unit) {
    synchronized (queue) {
      queue.add(unit);
      queue.notifyAll();
    }
  }

  private WorkUnit take() throws InterruptedException {
    synchronized (queue) {
      while (queue.isEmpty()) {
        queue.wait();
      }
      WorkUnit next = queue.iterator().next();
      queue.remove(next);
      return next;
    }
  }

  // --- the work ----------------------------------------------------------------------------

  private void work() {
    try {
      // Models replayed first: otherwise superseded models would be embedded on start.
      while (running && !registry.awaitCaughtUp(Duration.ofSeconds(1))) {
        LOG.debug("waiting for the alfer.models replay");
      }
      while (running) {
        WorkUnit unit = take();
        try {
          run(unit);
        } catch (ModelUnavailableException | ModelClosedException e) {
          LOG.debugf("dropping %s: %s", unit, e.getMessage());
        } catch (RuntimeException e) {
          LOG.warnf(
              e,
              "%s failed; retrying in %s",
              EmbeddingStore.describe(
                  unit.modelId(), unit.dataset(), unit.split(), unit.partition()),
              config.retryDelay());
          coverage.remove(unit);
          retries.schedule(
              () -> enqueue(unit), config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
          runningRemaining.set(0);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(WorkUnit unit) {
    Optional<ModelEntry> found = registry.find(unit.modelId());
    if (found.isEmpty()
        || found.get().state() != ModelState.LIVE
        || !partitions.ownsCaughtUp(unit.partition())) {
      return;
    }
    ModelEntry entry = found.get();
    ModelPublished model = entry.model();
    String base = EmbeddingStore.base(model.getModelId(), model.getDataset(), unit.split());
    Coverage covered = coverage.get(unit);
    if (covered == null) {
      covered = load(base, unit.partition());
      coverage.put(unit, covered);
    }
    List<ImageRef> images = partitions.images(unit.partition(), unit.dataset(), unit.split());
    Coverage c = covered;
    List<ImageRef> todo =
        c.partWritten ? images.stream().filter(i -> !c.contains(i.id())).toList() : images;
    if (c.partWritten && todo.isEmpty() && c.merged) {
      return;
    }
    ModelSession session = registry.session(entry);
    if (!c.partWritten || !todo.isEmpty()) {
      long start = System.nanoTime();
      runningRemaining.set(todo.size());
      EmbedResult result =
          embedder.embed(
              session,
              todo,
              (count, nanos) -> {
                runningRemaining.addAndGet(-count);
                metrics.batch(count, nanos);
              });
      if (!partitions.ownsCaughtUp(unit.partition())) {
        LOG.infof("partition %d moved away while embedding; dropping the result", unit.partition());
        return;
      }
      for (EmbedResult.Failed f : result.failures()) {
        metrics.imageFailed(f.reason());
        deadLetters.deadLetter(
            Topic.IMAGES,
            f.image().id(),
            f.image().event().toByteArray(),
            f.reason(),
            f.message() + " (model " + unit.modelId() + ")");
      }
      String what =
          EmbeddingStore.describe(unit.modelId(), unit.dataset(), unit.split(), unit.partition());
      if (!c.partWritten) {
        store.writePart(base, unit.partition(), result.chunk());
        c.partWritten = true;
      } else if (!result.chunk().ids().isEmpty()) {
        long last = todo.stream().mapToLong(ImageRef::offset).max().orElseThrow();
        StoredChunk increment = store.writeIncrement(base, unit.partition(), last, result.chunk());
        announce(model, unit.split(), increment, session.provider(), true);
      }
      result.chunk().ids().forEach(c::add);
      result.failures().forEach(f -> c.add(f.image().id()));
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.infof(
          "%s: %d images embedded%s in %.2f s (%.0f/s)",
          what,
          result.chunk().ids().size(),
          result.failures().isEmpty() ? "" : ", " + result.failures().size() + " left out",
          seconds,
          result.chunk().ids().size() / Math.max(seconds, 1e-9));
    }
    if (!c.merged) {
      Optional<StoredChunk> full =
          store.mergeWhenComplete(
              base, partitions.partitionCount(), session.embeddingDim(), session.classes());
      if (full.isPresent()) {
        announce(model, unit.split(), full.get(), session.provider(), false);
        c.merged = true;
      } else {
        c.merged = store.fullExists(base);
      }
    }
  }

  private Coverage load(String base, int partition) {
    Coverage c = new Coverage();
    Optional<List<String>> part = store.partIds(base, partition);
    if (part.isPresent()) {
      c.partWritten = true;
      part.get().forEach(c::add);
      store.incrementIds(base, partition).forEach(c::add);
    }
    return c;
  }

  private void announce(
      ModelPublished model, Split split, StoredChunk stored, String provider, boolean increment) {
    EmbeddingsReady.Builder event =
        EmbeddingsReady.newBuilder()
            .setModelId(model.getModelId())
            .setDataset(model.getDataset())
            .setSplit(split)
            .setIds(stored.ids())
            .setEmbeddings(stored.embeddings())
            .setCount(stored.count())
            .setProvider(provider)
            .setIncrement(increment)
            .setOrigin(Origins.now("embed", config.instance()));
    stored.probabilities().ifPresent(event::setProbabilities);
    announcer.embeddingsReady(event.build());
    metrics.announced(increment);
    LOG.infof(
        "announced %s %s of %s over %s/%s: %d images",
        increment ? "an increment" : "the full pass",
        stored.embeddings().getObject().getKey(),
        model.getModelId(),
        model.getDataset(),
        EmbeddingStore.splitName(split),
        stored.count());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** What is stored already for a work unit: its part, the ids it and its increments cover. */
  private static final class Coverage {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    volatile boolean partWritten;
    volatile boolean merged;

    boolean contains(String id) {
      return ids.contains(id);
    }

    void add(String id) {
      ids.add(id);
    }

    int size() {
      return ids.size();
    }
  }
}
