package io.alfer.ingest.dataset;

import io.alfer.core.messaging.CatalogRecords;
import io.alfer.core.messaging.Topic;
import io.alfer.kit.state.ReplayThenFollow.Phase;
import io.alfer.kit.state.ReplayThenFollow.Plan;
import io.alfer.kit.state.ReplayedState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Replays the compacted catalog topics ({@code alfer.datasets}, {@code alfer.images}) into the
 * {@link Catalog} at start-up and then follows them, so that announcements of other instances are
 * seen too. The service is ready only once the replay has caught up.
 */
@ApplicationScoped
public class CatalogFollower extends ReplayedState<Catalog> {
  private final Catalog catalog;

  public CatalogFollower(Catalog catalog) {
    this.catalog = catalog;
  }

  /** The service's one catalog: this instance's own announcements land in it as well. */
  @Override
  protected Catalog newState() {
    return catalog;
  }

  @Override
  protected Plan plan(Catalog state) {
    return Plan.of(
        new Phase(
            CatalogRecords.TOPICS.stream().map(Topic::topicName).toList(),
            r -> CatalogRecords.apply(r, state)));
  }

  @Override
  public String readinessName() {
    return "catalog";
  }
}
