package io.alfer.embed.model;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageException;
import io.alfer.embed.inference.InferenceRuntime;
import io.alfer.embed.inference.InvalidModelException;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.messaging.DeadLetterSink;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Every model announced on {@code alfer.models} (replayed at start, then followed; every replica
 * sees every model). Models form lineages — same dataset, kind and campaign — and only the newest
 * of a lineage (by announcement time) is live: it is embedded and served; announcing a newer one
 * retires it and closes its session. A live model's ONNX Runtime session is opened once, on first
 * use.
 */
@ApplicationScoped
public class ModelRegistry {
  private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

  /** Told when a model becomes live or is retired, on the following thread. */
  public interface Listener {
    void modelLive(ModelEntry model);

    void modelRetired(ModelEntry model);
  }

  private final ObjectStore store;
  private final InferenceRuntime runtime;
  private final DeadLetterSink deadLetters;
  private final Map<String, Object> kafkaConfig;
  private final Map<String, ModelEntry> byId = new ConcurrentHashMap<>();
  private final Map<Lineage, ModelEntry> current = new HashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile TopicFollower follower;

  public ModelRegistry(
      ObjectStore store,
      InferenceRuntime runtime,
      DeadLetterSink deadLetters,
      MeterRegistry meters,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.store = store;
    this.runtime = runtime;
    this.deadLetters = deadLetters;
    this.kafkaConfig = kafkaConfig;
    Gauge.builder("alfer.embed.sessions.open", this, ModelRegistry::openSessions)
        .description("ONNX Runtime sessions open (one per live model in use)")
        .register(meters);
  }

  void onStart(@Observes StartupEvent event) {
    follower = TopicFollower.start(kafkaConfig, List.of(Topic.MODELS), this::apply);
    started.countDown();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (follower != null) {
      follower.close();
    }
    byId.values().forEach(e -> closeSession(e.retire()));
  }

  /** Adds a listener; it is told only about what happens after this call. */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Whether the start-up replay of {@code alfer.models} has caught up. */
  public boolean caughtUp() {
    TopicFollower f = follower;
    return f != null && f.caughtUp();
  }

  /** Waits (bounded) for the start-up replay; returns whether it caught up. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    return follower.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /** A model known here, whatever its state. */
  public Optional<ModelEntry> find(String modelId) {
    return Optional.ofNullable(byId.get(modelId));
  }

  /** Every model known here, newest announcement first. */
  public List<ModelEntry> all() {
    return byId.values().stream().sorted(NEWEST_FIRST).toList();
  }

  /** The live models. */
  public List<ModelEntry> live() {
    return byId.values().stream().filter(e -> e.state() == ModelState.LIVE).toList();
  }

  /** The live models of a dataset. */
  public List<ModelEntry> live(String dataset) {
    return live().stream().filter(e -> e.model().getDataset().equals(dataset)).toList();
  }

  /**
   * The model's session, opened on first use.
   *
   * @throws ModelUnavailableException when the model is retired or its export is unusable
   * @throws StorageException when the export cannot be read now (try again later)
   */
  public ModelSession session(ModelEntry entry) {
    synchronized (entry) {
      ModelState state = entry.state();
      if (state != ModelState.LIVE) {
        throw new ModelUnavailableException(
            state,
            "model "
                + entry.id()
                + " is "
                + state.name().toLowerCase(java.util.Locale.ROOT)
                + (entry.failure().isEmpty() ? "" : ": " + entry.failure()));
      }
      ModelSession session = entry.session();
      if (session != null) {
        return session;
      }
      String key = entry.model().getOnnx().getKey();
      byte[] onnx;
      try {
        onnx = store.get(key);
      } catch (StorageException e) {
        if (store.exists(key)) {
          throw e;
        }
        throw unusable(entry, "onnx_missing", "model " + entry.id() + ": no ONNX export at " + key);
      }
      try {
        session = runtime.open(entry.id(), onnx, entry.classifier());
      } catch (InvalidModelException e) {
        throw unusable(entry, "invalid_model", e.getMessage());
      }
      ModelPublished m = entry.model();
      if ((m.getInputWidth() > 0 && m.getInputWidth() != session.width())
          || (m.getInputHeight() > 0 && m.getInputHeight() != session.height())) {
        String message =
            "model %s announces %dx%d input but its ONNX export takes %dx%d"
                .formatted(
                    entry.id(),
                    m.getInputWidth(),
                    m.getInputHeight(),
                    session.width(),
                    session.height());
        session.close();
        throw unusable(entry, "invalid_model", message);
      }
      LOG.infof(
          "opened model %s (%s, %dx%d, %d-d, %d classes) on %s",
          entry.id(),
          m.getKind(),
          session.width(),
          session.height(),
          session.embeddingDim(),
          session.classes(),
          session.provider());
      entry.session(session);
      return session;
    }
  }

  private ModelUnavailableException unusable(ModelEntry entry, String reason, String message) {
    entry.fail(message);
    LOG.error(message);
    deadLetters.deadLetter(Topic.MODELS, entry.id(), entry.model().toByteArray(), reason, message);
    listeners.forEach(l -> l.modelRetired(entry));
    return new ModelUnavailableException(ModelState.FAILED, message);
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      ModelEntry gone = r.key() == null ? null : byId.get(r.key());
      if (gone != null) {
        retire(gone);
      }
      return;
    }
    ModelPublished m;
    try {
      m = ModelPublished.parseFrom(r.value());
    } catch (InvalidProtocolBufferException e) {
      refuse(r, "undecodable", "not a ModelPublished: " + e.getMessage());
      return;
    }
    String problem = problem(m);
    if (problem != null) {
      refuse(r, "invalid_model_event", problem);
      return;
    }
    if (byId.containsKey(m.getModelId())) {
      return; // announced again: already known (only this thread adds models)
    }
    ModelEntry entry = new ModelEntry(m);
    Lineage lineage = new Lineage(m.getDataset(), m.getKind(), m.getCampaignId());
    ModelEntry previous;
    synchronized (current) {
      previous = current.get(lineage);
      if (previous != null && NEWEST_FIRST.compare(entry, previous) > 0) {
        entry.retire(); // an older model announced late: superseded already
        byId.put(m.getModelId(), entry);
        LOG.infof("model %s is older than the live %s; retired", m.getModelId(), previous.id());
        return;
      }
      current.put(lineage, entry);
      byId.put(m.getModelId(), entry);
    }
    if (previous != null) {
      retire(previous);
    }
    LOG.infof("model %s (%s, dataset %s) is live", m.getModelId(), m.getKind(), m.getDataset());
    listeners.forEach(l -> l.modelLive(entry));
  }

  private void retire(ModelEntry entry) {
    ModelSession session = entry.retire();
    closeSession(session);
    LOG.infof("model %s retired", entry.id());
    listeners.forEach(l -> l.modelRetired(entry));
  }

  private static void closeSession(ModelSession session) {
    if (session != null) {
      session.close();
    }
  }

  private void refuse(ConsumerRecord<String, byte[]> r, String reason, String cause) {
    if (caughtUp()) {
      deadLetters.deadLetter(Topic.MODELS, r.key(), r.value(), reason, cause);
    } else {
      LOG.warnf("skipping %s-%d@%d on replay: %s", r.topic(), r.partition(), r.offset(), cause);
    }
  }

  private static String problem(ModelPublished m) {
    if (m.getModelId().isBlank() || m.getModelId().contains("/")) {
      return "invalid model id '" + m.getModelId() + "'";
    }
    if (m.getKind() != ModelKind.MODEL_KIND_ENCODER
        && m.getKind() != ModelKind.MODEL_KIND_CLASSIFIER) {
      return "model " + m.getModelId() + " has no kind";
    }
    if (m.getDataset().isBlank()) {
      return "model " + m.getModelId() + " has no dataset";
    }
    if (m.getOnnx().getKey().isBlank()) {
      return "model " + m.getModelId() + " has no ONNX export";
    }
    return null;
  }

  private double openSessions() {
    return byId.values().stream().filter(e -> e.session() != null).count();
  }

  /** Newest announcement first: origin time, then model id. */
  private static final Comparator<ModelEntry> NEWEST_FIRST =
      Comparator.<ModelEntry>comparingLong(e -> e.model().getOrigin().getTime().getSeconds())
          .thenComparingInt(e -> e.model().getOrigin().getTime().getNanos())
          .thenComparing(ModelEntry::id)
          .reversed();

  private record Lineage(String dataset, ModelKind kind, String campaignId) {}
}
