package io.alfer.console.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.console.config.ConsoleConfig;
import io.alfer.console.upstream.Service;
import io.alfer.console.upstream.Upstream;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Live updates for the pages: while at least one browser listens, the services' views (campaigns,
 * training jobs, vendors, health) are read every {@code alfer.console.poll} and each one that
 * changed is pushed to every listener as a server-sent event named after it ({@code campaigns},
 * {@code jobs}, {@code vendors}, {@code health}), its data the JSON view. A listener that connects
 * gets the latest of each at once.
 *
 * <p>The views are polled rather than rebuilt from the topics: what a campaign's phase or a job's
 * epoch is, is the owning service's decision, and its REST view is the one place that says it. One
 * poll serves every browser, and nothing is polled while nobody looks.
 */
@ApplicationScoped
public class LiveFeed {
  private static final Logger LOG = Logger.getLogger(LiveFeed.class);

  private record Listener(SseEventSink sink, Sse sse) {}

  private final Upstream upstream;
  private final ServicesHealth health;
  private final ConsoleConfig config;
  private final ObjectMapper json;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final Map<String, String> latest = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public LiveFeed(
      Upstream upstream, ServicesHealth health, ConsoleConfig config, ObjectMapper json) {
    this.upstream = upstream;
    this.health = health;
    this.config = config;
    this.json = json;
  }

  void start(@Observes StartupEvent event) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "console-live-feed");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, config.poll().toMillis());
    timer.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
    listeners.forEach(l -> l.sink().close());
  }

  /** Adds a listener: it gets the latest of every view now and every change from then on. */
  public void subscribe(SseEventSink sink, Sse sse) {
    Listener listener = new Listener(sink, sse);
    listeners.add(listener);
    latest.forEach((name, data) -> send(listener, name, data));
    timer.execute(this::poll);
  }

  /** Reads every view once and pushes those that changed (nothing while nobody listens). */
  void poll() {
    listeners.removeIf(l -> l.sink().isClosed());
    if (listeners.isEmpty()) {
      return;
    }
    Map<String, Supplier<JsonNode>> views = new LinkedHashMap<>();
    views.put("campaigns", () -> upstream.json(Service.SELECT, "campaigns?view=summary"));
    views.put("jobs", () -> upstream.json(Service.TRAINER, "jobs"));
    views.put("vendors", () -> upstream.json(Service.LABEL, "vendors"));
    views.put("health", health::all);
    views.forEach(
        (name, view) -> {
          String data;
          try {
            data = json.writeValueAsString(view.get());
          } catch (Exception e) {
            ObjectNode error = json.createObjectNode();
            error.put("error", "unavailable");
            error.put("message", e.getMessage());
            data = error.toString();
          }
          if (!data.equals(latest.put(name, data))) {
            broadcast(name, data);
          }
        });
  }

  private void broadcast(String name, String data) {
    for (Iterator<Listener> it = listeners.iterator(); it.hasNext(); ) {
      Listener listener = it.next();
      if (listener.sink().isClosed()) {
        it.remove();
      } else {
        send(listener, name, data);
      }
    }
  }

  private void send(Listener listener, String name, String data) {
    synchronized (listener) {
      listener
          .sink()
          .send(
              listener
                  .sse()
                  .newEventBuilder()
                  .name(name)
                  .mediaType(MediaType.TEXT_PLAIN_TYPE)
                  .data(String.class, data)
                  .build())
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  LOG.debugf("a listener went away: %s", failure.toString());
                  listeners.remove(listener);
                }
              });
    }
  }
}
