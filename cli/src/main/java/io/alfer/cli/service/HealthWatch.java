package io.alfer.cli.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every service for {@code /q/health/live} and {@code /q/health/ready} twice a second, each on
 * its own thread (a readiness check can take seconds while a dependency is down), and keeps every
 * answer, so that a fault's figures can be read afterwards: whether a service ever stopped being
 * live, which ones stopped being ready, and when each was ready again.
 */
public final class HealthWatch implements AutoCloseable {
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  /**
   * One look at a service.
   *
   * @param service its name
   * @param at when the answers came, in {@link System#nanoTime()}
   * @param live whether {@code /q/health/live} answered 200
   * @param ready whether {@code /q/health/ready} answered 200
   * @param why what the failing check answered (status or error), empty when both were 200
   */
  public record Sample(String service, long at, boolean live, boolean ready, String why) {}

  private final Map<String, URI> services;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ScheduledExecutorService pollers;

  /**
   * Starts watching.
   *
   * @param services base URL per service name; a service restarted on the same port stays watched
   */
  public HealthWatch(Map<String, URI> services) {
    this.services = new LinkedHashMap<>(services);
    this.pollers =
        Executors.newScheduledThreadPool(
            services.size(),
            r -> {
              Thread t = new Thread(r, "alfer-health-watch");
              t.setDaemon(true);
              return t;
            });
    for (Map.Entry<String, URI> s : this.services.entrySet()) {
      pollers.scheduleWithFixedDelay(
          () -> look(s.getKey(), s.getValue()), 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void look(String service, URI base) {
    String live = status(base.resolve("/q/health/live"));
    String ready = status(base.resolve("/q/health/ready"));
    boolean isLive = live.equals("200");
    boolean isReady = ready.equals("200");
    String why = isLive ? (isReady ? "" : "ready: " + ready) : "live: " + live;
    samples.add(new Sample(service, System.nanoTime(), isLive, isReady, why));
  }

  private String status(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).GET().build();
    try {
      return String.valueOf(
          http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The services watched. */
  public List<String> services() {
    return List.copyOf(services.keySet());
  }

  /** Every answer between two instants ({@link System#nanoTime()}), oldest first. */
  public List<Sample> between(long from, long to) {
    List<Sample> window = new ArrayList<>();
    for (Sample s : samples) {
      if (s.at() >= from && s.at() <= to) {
        window.add(s);
      }
    }
    return window;
  }

  /** The looks at which a service was not live, between two instants. */
  public List<Sample> notLive(long from, long to) {
    return between(from, to).stream().filter(s -> !s.live()).toList();
  }

  /** The services that were not ready at least once between two instants, in watch order. */
  public List<String> notReady(long from, long to) {
    List<Sample> window = between(from, to);
    return services.keySet().stream()
        .filter(name -> window.stream().anyMatch(s -> s.service().equals(name) && !s.ready()))
        .toList();
  }

  /**
   * When every service had answered ready since {@code since}: the latest of each service's first
   * ready answer after that instant, or empty while one has not.
   */
  public java.util.OptionalLong allReadySince(long since) {
    long latest = since;
    for (String name : services.keySet()) {
      java.util.OptionalLong first =
          samples.stream()
              .filter(s -> s.service().equals(name) && s.at() >= since && s.ready())
              .mapToLong(Sample::at)
              .min();
      if (first.isEmpty()) {
        return java.util.OptionalLong.empty();
      }
      latest = Math.max(latest, first.getAsLong());
    }
    return java.util.OptionalLong.of(latest);
  }

  @Override
  public void close() {
    pollers.shutdownNow();
  }
}
