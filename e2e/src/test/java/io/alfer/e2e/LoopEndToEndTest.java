package io.alfer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.bench.faults.LabelLedger;
import io.alfer.cli.demo.CampaignWatcher;
import io.alfer.cli.demo.DemoReport;
import io.alfer.cli.demo.DemoRun;
import io.alfer.cli.demo.DemoServices;
import io.alfer.cli.demo.DemoSettings;
import io.alfer.cli.service.HealthWatch;
import io.alfer.cli.service.SelectClient;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackLayout;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.api.CampaignRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop as it runs locally: a real Kafka broker and S3 server ({@code ./alfer up}'s
 * stack), every service and the oracle vendor as its own process, on a tiny synthetic set. Two
 * campaigns run side by side — random sampling from scratch, and a cold start plus margin on a
 * pre-trained encoder — while the Kafka broker, then the select service, then the label service are
 * killed (SIGKILL) in the middle of a labelling round and started again. Every service stays live
 * through the broker's restart and is ready again after it; both campaigns complete with accuracy
 * for every round, and no label is lost or counted twice. Beside them a third campaign shares its
 * tasks between the oracle and a registered vendor that never answers: its silent slots are given
 * up, announced as unanswered, and the campaign completes with the labels the oracle gave.
 */
class LoopEndToEndTest {
  static final int IMAGES = 500;
  static final int INITIAL = 30;
  static final int BUDGET = 30;
  static final int ROUNDS = 2;
  static final Duration WAIT = Duration.ofMinutes(6);

  /** Slow enough that a labelling round lasts a few seconds: long enough to kill a service in. */
  static final String ORACLE_DELAY = "PT4S";

  /** A registered vendor that never answers (nothing reads its topics). */
  static final String SILENT = "silent";

  /**
   * The oracle's task lifetime here: its delay plus a broker restart (which holds up both the tasks
   * and the answers) on a slow machine, with room to spare — so that no oracle slot is given up and
   * no image comes back to the pool to be selected twice.
   */
  static final String TASK_TTL = "PT60S";

  /** The silent vendor's: short, so that its slots are given up (three issues) within a minute. */
  static final String SILENT_TASK_TTL = "PT10S";

  @TempDir static Path home;

  static final PrintWriter OUT = new PrintWriter(System.out, true);
  static Shutdown shutdown;
  static LocalStack stack;
  static StackPorts ports;
  static StackEnv env;
  static DemoServices services;
  static DemoRun demo;

  @BeforeAll
  static void startEverything() throws IOException {
    shutdown = new Shutdown(OUT);
    StackLayout layout = new StackLayout(home);
    stack = new LocalStack(layout, OUT);
    shutdown.add("the local stack", stack::down);
    ports = new StackPorts(freePort(), freePort(), freePort());
    env = stack.up(ports);
    services =
        new DemoServices(
                layout,
                env,
                Map.of(
                    "oracle", Map.of("ALFER_ORACLE_DELAY", ORACLE_DELAY),
                    // Small claim limit: every round's selection, labels and fine-tuning request
                    // travel as claim checks between the real processes.
                    "select",
                        Map.of(
                            "ALFER_SELECT_TICK", "PT0.5S", "ALFER_CLAIMS_INLINE_MAX_BYTES", "512"),
                    "label",
                        Map.ofEntries(
                            Map.entry(
                                "ALFER_LABEL_VENDORS_SILENT_DESCRIPTION",
                                "a vendor that never answers"),
                            Map.entry("ALFER_LABEL_VENDORS_SILENT_TASK_TTL", SILENT_TASK_TTL),
                            Map.entry("ALFER_LABEL_TASK_TTL", TASK_TTL),
                            Map.entry("ALFER_LABEL_EXPIRY_SCAN", "PT1S"))))
            .start(shutdown, OUT);
    DemoSettings settings =
        new DemoSettings(
            "e2e-fer",
            IMAGES,
            48,
            3,
            "tiny",
            2,
            64,
            INITIAL,
            BUDGET,
            ROUNDS,
            "cpu-fast",
            3,
            "margin",
            "typiclust");
    demo = new DemoRun(settings, services, OUT);
    demo.importSynthetic(home);
  }

  @AfterAll
  static void stopEverything() {
    if (shutdown != null) {
      shutdown.run();
    }
  }

  @Test
  void campaignsCompleteThroughKillsOfBrokerSelectAndLabelWithNoLabelLostOrCountedTwice() {
    String encoder = demo.pretrain();
    Map<String, String> names = demo.startCampaigns("e2e", encoder);
    List<String> ids = new ArrayList<>(names.keySet());
    SelectClient select = new SelectClient(services.get("select").baseUri());
    String silent = "e2e-silent-vendor";
    select.create(
        new CampaignRequest(
            silent,
            "e2e-fer",
            "random",
            null,
            "random",
            20,
            null,
            10,
            null,
            1,
            null,
            null,
            "cpu-fast",
            "tiny",
            3,
            5L,
            List.of("oracle", SILENT),
            1,
            "skip"));
    String scratch = ids.get(0);

    // Round 0 is being labelled: kill the broker and start it again on its port and data. The
    // oracle's answers and the label service's tasks wait in their producers meanwhile.
    awaitPhase(scratch, 0, "labelling");
    Map<String, URI> bases = new LinkedHashMap<>();
    DemoServices.NAMES.forEach(name -> bases.put(name, services.get(name).baseUri()));
    try (HealthWatch health = new HealthWatch(bases)) {
      long down = System.nanoTime();
      stack.kill(LocalStack.Server.KAFKA);
      OUT.println("killed the broker in round 0's labelling");
      stack.start(LocalStack.Server.KAFKA, ports);
      long back = System.nanoTime();
      await("every service ready again after the broker's restart")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> health.allReadySince(back).isPresent());
      assertThat(health.notLive(down, System.nanoTime())).as("services not live").isEmpty();
    }

    // Round 1 is being labelled (the oracle answers after a delay): kill select, answers arrive
    // while it is down, start it again.
    awaitPhase(scratch, 1, "labelling");
    services.kill("select");
    OUT.println("killed select in round 1's labelling");
    services.restart("select", OUT);

    // Round 2 is being labelled: kill label; the oracle's answers wait on
    // alfer.vendor.oracle.results.
    awaitPhase(scratch, 2, "labelling");
    services.kill("label");
    OUT.println("killed label in round 2's labelling");
    services.restart("label", OUT);

    Map<String, JsonNode> views = demo.follow(names, WAIT);

    JsonNode silentView =
        await(silent + " completes")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> new SelectClient(services.get("select").baseUri()).campaign(silent),
                v -> CampaignWatcher.ENDED.contains(v.path("state").asText()));
    assertThat(silentView.path("state").asText()).as(silentView.toString()).isEqualTo("completed");
    JsonNode first = silentView.path("rounds").get(0);
    // slot 0 of every other image went to the silent vendor (vendors in turn)
    assertThat(first.path("unanswered")).as("round 0 unanswered").hasSize(10);
    assertThat(first.path("labelled").asInt()).isEqualTo(10);
    Set<String> unanswered = new HashSet<>();
    silentView
        .path("rounds")
        .forEach(r -> r.path("unanswered").forEach(i -> unanswered.add(i.asText())));
    int labelled = 0;
    for (JsonNode r : silentView.path("rounds")) {
      labelled += r.path("labelled").asInt();
    }
    assertThat(silentView.path("labelledTotal").asInt()).isEqualTo(labelled);
    assertThat(LabelLedger.read(env.kafkaBootstrap(), silent).unanswered())
        .as("images announced as unanswered")
        .containsAll(unanswered);
    for (String id : ids) {
      JsonNode view = views.get(id);
      assertThat(view.path("state").asText()).as(id + ": " + view).isEqualTo("completed");
      JsonNode rounds = view.path("rounds");
      assertThat(rounds).hasSize(ROUNDS + 1);
      Map<String, List<Integer>> roundsOf = new LinkedHashMap<>();
      for (JsonNode r : rounds) {
        int expected = r.path("round").asInt() == 0 ? INITIAL : BUDGET;
        assertThat(r.path("selected")).as(id + " round " + r.path("round")).hasSize(expected);
        r.path("selected")
            .forEach(
                p ->
                    roundsOf
                        .computeIfAbsent(p.path("imageId").asText(), k -> new ArrayList<>())
                        .add(r.path("round").asInt()));
        assertThat(r.path("testAccuracy").isNumber()).as(id + " accuracy " + r).isTrue();
        double accuracy = r.path("testAccuracy").asDouble();
        assertThat(accuracy).isBetween(0.0, 1.0);
        assertThat(r.path("modelId").asText()).isNotEmpty();
      }
      Set<String> selected = roundsOf.keySet();
      int total = INITIAL + ROUNDS * BUDGET;
      StringBuilder why = new StringBuilder();
      roundsOf.forEach(
          (image, in) -> {
            if (in.size() > 1) {
              why.append(image).append(" in rounds ").append(in).append("; ");
            }
          });
      rounds.forEach(
          r ->
              why.append("round ")
                  .append(r.path("round"))
                  .append(" unanswered ")
                  .append(r.path("unanswered"))
                  .append("; "));
      if (selected.size() != total) {
        // Say why before failing: rounds with images given up, and the services' last words.
        rounds.forEach(
            r ->
                OUT.printf(
                    "%s round %s: %d selected, %d unanswered%n",
                    id, r.path("round"), r.path("selected").size(), r.path("unanswered").size()));
        OUT.printf(
            "select's log:%n%s%nlabel's log:%n%s%n",
            services.get("select").logTail(60), services.get("label").logTail(40));
      }
      assertThat(selected).as(id + ": no image selected twice (" + why + ")").hasSize(total);
      assertThat(view.path("labelledTotal").asInt()).as(id + " labelled").isEqualTo(total);

      // alfer.labels holds one record per selected image: none lost, none announced twice.
      Map<String, Integer> perImage = LabelLedger.read(env.kafkaBootstrap(), id).records();
      assertThat(perImage.keySet()).as(id + " labelled images").isEqualTo(selected);
      assertThat(perImage)
          .as(id + " records per image")
          .allSatisfy((image, records) -> assertThat(records).isOne());
    }
    List<String> table = new DemoReport(names, views, Double.NaN).table();
    assertThat(table).as("header and one row per round").hasSize(ROUNDS + 2);
    assertThat(table.get(ROUNDS + 1)).doesNotContain("–");
  }

  /** Waits until a campaign reaches a round's phase; fails at once when the campaign ends. */
  static void awaitPhase(String campaignId, int round, String phase) {
    SelectClient select = new SelectClient(services.get("select").baseUri());
    await(campaignId + ": round " + round + " " + phase)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> select.campaign(campaignId),
            view -> {
              if (view.path("rounds").size() == round + 1
                  && phase.equals(view.path("phase").asText())) {
                return true;
              }
              assertThat(CampaignWatcher.ENDED)
                  .as("campaign ended early: " + view)
                  .doesNotContain(view.path("state").asText());
              return false;
            });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
