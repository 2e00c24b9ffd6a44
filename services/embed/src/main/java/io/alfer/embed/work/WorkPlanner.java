package io.alfer.embed.work;

import io.alfer.core.messaging.Origins;
import io.alfer.embed.inference.ModelClosedException;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.messaging.Announcer;
import io.alfer.embed.metrics.EmbedMetrics;
import io.alfer.embed.model.ModelEntry;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.model.ModelState;
import io.alfer.embed.model.ModelUnavailableException;
import io.alfer.embed.storage.EmbeddingStore;
import io.alfer.proto.v1.EmbedWorkItem;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Plans the work of this replica's partitions of {@code alfer.images} (adr/0002-work-items.md): for
 * each live model and split, the partition's images not yet planned are cut, in offset order, into
 * work items of at most {@code item-images} images, sent to {@code alfer.embed.work}, and then
 * recorded in a plan ({@code plans/p<k>/initial.txt} for the full pass, {@code inc-…} for images
 * that came later). Any replica of the work group does the items; the plans say when the full pass
 * is complete. A partition's plan units are queued (deduplicated) and run one at a time on one
 * thread; a unit that fails on S3 or Kafka is retried after {@code retry-delay}.
 */
final class WorkPlanner implements ImagePartitions.Listener, ModelRegistry.Listener {
  private static final Logger LOG = Logger.getLogger(WorkPlanner.class);

  private final ModelRegistry registry;
  private final EmbeddingStore store;
  private final Announcer announcer;
  private final Passes passes;
  private final EmbedMetrics metrics;
  private final int itemImages;
  private final String instance;
  private final Duration retryDelay;
  private final ScheduledExecutorService retries;
  private final Set<WorkUnit> queue = new LinkedHashSet<>();
  private final Map<WorkUnit, Long> plannedUpTo = new ConcurrentHashMap<>();
  private final Map<WorkUnit, Boolean> initialPlanned = new ConcurrentHashMap<>();
  private volatile ImagePartitions partitions;

  WorkPlanner(
      ModelRegistry registry,
      EmbeddingStore store,
      Announcer announcer,
      Passes passes,
      EmbedMetrics metrics,
      int itemImages,
      String instance,
      Duration retryDelay,
      ScheduledExecutorService retries) {
    this.registry = registry;
    this.store = store;
    this.announcer = announcer;
    this.passes = passes;
    this.metrics = metrics;
    this.itemImages = itemImages;
    this.instance = instance;
    this.retryDelay = retryDelay;
    this.retries = retries;
  }

  void partitions(ImagePartitions partitions) {
    this.partitions = partitions;
  }

  // --- what starts planning ------------------------------------------------------------------

  @Override
  public void caughtUp(int partition) {
    registry.live().forEach(m -> enqueueAll(m, partition));
  }

  @Override
  public void revoked(int partition) {
    plannedUpTo.keySet().removeIf(u -> u.partition() == partition);
    initialPlanned.keySet().removeIf(u -> u.partition() == partition);
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
    ImagePartitions p = partitions;
    if (p != null) {
      // Split by split, the pool first: its items are sent (and so done) before the test split's,
      // and the pool's pass — what selection waits for — is complete first.
      for (Split split : model.splits()) {
        for (int k : p.ownedCaughtUp()) {
          enqueue(new WorkUnit(model.id(), model.model().getDataset(), split, k));
        }
      }
    }
  }

  @Override
  public void modelRetired(ModelEntry model) {
    plannedUpTo.keySet().removeIf(u -> u.modelId().equals(model.id()));
    initialPlanned.keySet().removeIf(u -> u.modelId().equals(model.id()));
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

  /** Plan units queued. */
  int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /** Plans queued units until interrupted; the models' replay first. */
  void run() {
    try {
      // Models replayed first: otherwise superseded models would be planned on start.
      while (!registry.awaitCaughtUp(Duration.ofSeconds(1))) {
        LOG.debug("waiting for the alfer.models replay");
      }
      while (!Thread.currentThread().isInterrupted()) {
        WorkUnit unit = take();
        try {
          plan(unit);
        } catch (ModelUnavailableException | ModelClosedException e) {
          LOG.debugf("not planning %s: %s", unit, e.getMessage());
        } catch (RuntimeException e) {
          LOG.warnf(
              "planning %s failed; retrying in %s: %s",
              EmbeddingStore.describe(
                  unit.modelId(), unit.dataset(), unit.split(), unit.partition()),
              retryDelay,
              e.getMessage());
          plannedUpTo.remove(unit);
          initialPlanned.remove(unit);
          retries.schedule(() -> enqueue(unit), retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  // --- the plan ------------------------------------------------------------------------------

  private void plan(WorkUnit unit) {
    ImagePartitions p = partitions;
    Optional<ModelEntry> found = registry.find(unit.modelId());
    if (p == null
        || found.isEmpty()
        || found.get().state() != ModelState.LIVE
        || !p.ownsCaughtUp(unit.partition())) {
      return;
    }
    ModelPublished model = found.get().model();
    // Opened (and checked) here: an unusable model is dead-lettered once and never planned.
    ModelSession session = registry.session(found.get());
    String base = EmbeddingStore.base(model.getModelId(), model.getDataset(), unit.split());
    if (!plannedUpTo.containsKey(unit)) {
      EmbeddingStore.Planned planned = store.planned(base, unit.partition());
      plannedUpTo.put(unit, planned.upTo());
      initialPlanned.put(unit, planned.initial());
    }
    long upTo = plannedUpTo.get(unit);
    boolean initial = !initialPlanned.get(unit);
    List<ImageRef> todo =
        p.images(unit.partition(), unit.dataset(), unit.split()).stream()
            .filter(i -> i.offset() > upTo)
            .sorted(Comparator.comparingLong(ImageRef::offset))
            .toList();
    if (todo.isEmpty() && !initial) {
      return;
    }
    List<String> keys = new ArrayList<>();
    List<EmbedWorkItem> items = new ArrayList<>();
    for (int from = 0; from < todo.size(); from += itemImages) {
      List<ImageRef> images = todo.subList(from, Math.min(todo.size(), from + itemImages));
      long first = images.get(0).offset();
      long last = images.get(images.size() - 1).offset();
      String key = EmbeddingStore.itemKey(unit.partition(), first, last);
      EmbedWorkItem.Builder item =
          EmbedWorkItem.newBuilder()
              .setItemId(itemId(base, key))
              .setModelId(model.getModelId())
              .setDataset(model.getDataset())
              .setSplit(unit.split())
              .setImagesPartition(unit.partition())
              .setFirstOffset(first)
              .setLastOffset(last)
              .setIncrement(!initial)
              .setOrigin(Origins.now("embed", instance));
      images.forEach(i -> item.addImages(i.event()));
      items.add(item.build());
      keys.add(key);
    }
    announcer.workItems(items);
    if (!p.ownsCaughtUp(unit.partition())) {
      // Moved away meanwhile: the new owner plans again from the stored plans; the items sent are
      // done at most once (an item whose chunk exists is skipped).
      return;
    }
    store.writePlan(base, unit.partition(), initial, keys);
    metrics.itemsPlanned(keys.size());
    plannedUpTo.put(unit, todo.isEmpty() ? upTo : todo.get(todo.size() - 1).offset());
    initialPlanned.put(unit, true);
    if (initial && keys.isEmpty()) {
      passes.completeIfDone(model, unit.split(), session); // this plan may have been the last
    }
    LOG.infof(
        "planned %s: %d images in %d work items%s",
        EmbeddingStore.describe(unit.modelId(), unit.dataset(), unit.split(), unit.partition()),
        todo.size(),
        keys.size(),
        initial ? "" : " (an increment)");
  }

  /** The id of a work item: its pass's prefix without the storage root, then its key. */
  static String itemId(String base, String key) {
    return base.substring("embeddings/".length()) + key;
  }
}
