package io.alfer.kit.state;

import io.alfer.kit.health.ReadinessPart;
import io.alfer.kit.state.ReplayThenFollow.Plan;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;

/**
 * A service's state rebuilt from the topics at every start, the way {@code adr/0001-*} describes:
 * the service says what a fresh state is ({@link #newState()}) and how the topics feed it ({@link
 * #plan}); this class starts the replay at start-up, stops it at shut-down, and answers whether the
 * state is complete. {@link #start()} after {@link #stop()} is a restart from nothing, which is how
 * tests show that a crash loses nothing. The service is not ready (see {@link ReadinessPart}) until
 * the replay has caught up.
 *
 * @param <S> the state the records build
 */
public abstract class ReplayedState<S> implements ReadinessPart {
  private Map<String, Object> kafkaConfig;
  private volatile Running<S> running;

  private record Running<S>(S state, ReplayThenFollow replay) {}

  @Inject
  void connection(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.kafkaConfig = kafkaConfig;
  }

  /** A fresh, empty state for a run. */
  protected abstract S newState();

  /** How the topics feed {@code state}, and what runs when they have caught up. */
  protected abstract Plan plan(S state);

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts a fresh state and its replay; a running one is stopped first. */
  public synchronized void start() {
    stop();
    S state = newState();
    running =
        new Running<>(
            state, ReplayThenFollow.start(getClass().getSimpleName(), kafkaConfig, plan(state)));
  }

  /** Stops following the topics and drops the state (what a crash loses). */
  public synchronized void stop() {
    Running<S> r = running;
    if (r != null) {
      r.replay().close();
      running = null;
    }
  }

  /** Whether the replay has caught up: decisions made now are made on complete state. */
  @Override
  public boolean ready() {
    Running<S> r = running;
    return r != null && r.replay().ready();
  }

  /** Waits (bounded) until the state is ready; returns whether it is. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    Running<S> r = running;
    return r != null && r.replay().awaitReady(timeout);
  }

  /** The state of the current run, complete or not; null when stopped. */
  protected S currentState() {
    Running<S> r = running;
    return r == null ? null : r.state();
  }

  /** The state of the current run once it is ready; null before that and when stopped. */
  protected S readyState() {
    Running<S> r = running;
    return r != null && r.replay().ready() ? r.state() : null;
  }

  @Override
  public String readinessName() {
    return "state";
  }
}
