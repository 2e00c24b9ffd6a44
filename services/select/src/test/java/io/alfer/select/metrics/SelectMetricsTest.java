package io.alfer.select.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.Origins;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.CampaignState;
import io.alfer.proto.v1.Origin;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.StateChanged;
import io.alfer.select.campaign.Campaign;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The last-progress gauge that the "campaign stalled" alerts read (deploy/k8s/components/
 * monitoring): one series per running campaign, with its phase, valued at its last event's time;
 * none for campaigns that are paused or ended.
 */
class SelectMetricsTest {
  static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
  static final Instant SELECTED = Instant.parse("2026-01-02T03:09:07.500Z");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SelectMetrics metrics = new SelectMetrics(registry);

  static CampaignEvent.Builder event(String id, long seq, Instant at) {
    return CampaignEvent.newBuilder()
        .setCampaignId(id)
        .setSequence(seq)
        .setOrigin(Origin.newBuilder().setService("select").setTime(Origins.timestamp(at)));
  }

  static Campaign created(String id) {
    Campaign c = new Campaign(id);
    c.apply(
        event(id, 0, CREATED)
            .setCreated(CampaignSpec.newBuilder().setCampaignId(id).setRounds(2))
            .build());
    return c;
  }

  static void selected(Campaign c) {
    c.apply(
        event(c.id(), 1, SELECTED)
            .setRoundSelected(
                RoundSelected.newBuilder()
                    .setRound(0)
                    .setSelected(1)
                    .addImages(SelectedImage.newBuilder().setImageId("a")))
            .build());
  }

  private Double value(String campaign, String phase) {
    Gauge g =
        registry
            .find("alfer.select.campaign.last.progress")
            .tag("campaign", campaign)
            .tag("phase", phase)
            .gauge();
    return g == null ? null : g.value();
  }

  @Test
  void eachRunningCampaignHasItsLastEventTimeAndPhase() {
    Campaign a = created("c-a");
    Campaign b = created("c-b");
    selected(b);
    metrics.progress(List.of(a, b));

    assertThat(value("c-a", "selecting")).isEqualTo(CREATED.getEpochSecond());
    assertThat(value("c-b", "labelling")).isEqualTo(SELECTED.toEpochMilli() / 1000.0);
    assertThat(value("c-b", "selecting")).as("the phase it left has no series").isNull();
    assertThat(registry.scrape())
        .contains(
            "alfer_select_campaign_last_progress_seconds{campaign=\"c-a\",phase=\"selecting\",}")
        .contains("# TYPE alfer_select_campaign_last_progress_seconds gauge");
  }

  @Test
  void progressMovesTheSeriesToTheNewPhaseAndTime() {
    Campaign a = created("c-move");
    metrics.progress(List.of(a));
    assertThat(value("c-move", "selecting")).isEqualTo(CREATED.getEpochSecond());

    selected(a);
    metrics.progress(List.of(a));
    assertThat(value("c-move", "selecting")).isNull();
    assertThat(value("c-move", "labelling")).isEqualTo(SELECTED.toEpochMilli() / 1000.0);
    assertThat(registry.find("alfer.select.campaign.last.progress").gauges()).hasSize(1);
  }

  @Test
  void pausedAndEndedCampaignsHaveNoSeries() {
    Campaign paused = created("c-paused");
    Campaign running = created("c-running");
    metrics.progress(List.of(paused, running));
    assertThat(registry.find("alfer.select.campaign.last.progress").gauges()).hasSize(2);

    paused.apply(
        event("c-paused", 1, SELECTED)
            .setStateChanged(
                StateChanged.newBuilder().setState(CampaignState.CAMPAIGN_STATE_PAUSED))
            .build());
    metrics.progress(List.of(paused, running));
    assertThat(registry.find("alfer.select.campaign.last.progress").gauges())
        .singleElement()
        .satisfies(g -> assertThat(g.getId().getTag("campaign")).isEqualTo("c-running"));

    metrics.progress(List.of());
    assertThat(registry.find("alfer.select.campaign.last.progress").gauges()).isEmpty();
  }

  @Test
  void oneCampaignsProgressNeverWaitsForAnotherCampaign() throws Exception {
    Campaign a = created("c-own");
    Campaign b = created("c-other");
    metrics.progress(List.of(a, b));
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // Another campaign's step holds that campaign, as the loop's workers do while they write.
    Thread other =
        new Thread(
            () -> {
              synchronized (b) {
                held.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    other.start();
    held.await();
    try {
      // This campaign's step, holding its own campaign, records its progress: it must not need
      // the other one (reading every campaign here is what stopped select in the e2e test).
      java.util.concurrent.CompletableFuture<Void> step =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                synchronized (a) {
                  selected(a);
                  metrics.progress(a);
                }
              });
      step.get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(value("c-own", "labelling")).isEqualTo(SELECTED.toEpochMilli() / 1000.0);
      assertThat(value("c-own", "selecting")).isNull();
      assertThat(value("c-other", "selecting")).as("the other campaign's series stays").isNotNull();
    } finally {
      release.countDown();
      other.join();
    }
  }
}
