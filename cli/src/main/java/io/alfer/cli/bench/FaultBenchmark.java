package io.alfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.al.campaign.CampaignRules;
import io.alfer.cli.bench.faults.FaultOutcome;
import io.alfer.cli.bench.faults.LabelLedger;
import io.alfer.cli.demo.CampaignWatcher;
import io.alfer.cli.demo.DemoRun;
import io.alfer.cli.demo.DemoServices;
import io.alfer.cli.demo.DemoSettings;
import io.alfer.cli.service.HealthWatch;
import io.alfer.cli.service.SelectClient;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.service.TrainerClient;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.LocalStack.Server;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackLayout;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.storage.ObjectStore;
import io.alfer.ml.checkpoint.ModelStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench faults}: two faults of the local stack's real servers in the middle of the
 * loop, each with its figures. (1) The Kafka broker is killed (or stopped) while a campaign's round
 * is being labelled and started again on the same port and data: does the campaign complete, and
 * does {@code alfer.labels} hold exactly one label per selected image? (2) The S3 server is killed
 * while a fine-tuning runs and started again after two minutes: does the job finish (or fail with
 * its reason), do the services stay live and become ready again, is any object lost? A stack of its
 * own in a fresh folder on free ports, every service as a process (as {@code ./alfer demo}).
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = {
      "Faults with figures on a stack of its own: the Kafka broker killed and started again in the"
          + " middle of a campaign's labelling round, and S3 down for two minutes during a"
          + " fine-tuning; prints what happened, the time to recover and what was lost.",
      "%nFinal line: broker_down_s=... broker_ready_s=... broker_campaign=... broker_labels=..."
          + " s3_down_s=... s3_ready_s=... s3_job=... s3_job_end_s=... s3_campaign=... s3_labels=..."
          + " not_live=... lost=..."
    })
public final class FaultBenchmark implements Runnable {
  private static final Duration CAMPAIGN_LIMIT = Duration.ofMinutes(20);
  private static final Duration READY_LIMIT = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofMillis(250);

  @Spec CommandSpec spec;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Folder for this run's stack (data and logs); it must not hold a running stack."
              + " Default: a new temporary folder, deleted at the end unless --keep.")
  Path home;

  @Option(names = "--keep", description = "Keep the stack's folder (data and logs) at the end.")
  boolean keep;

  @Option(
      names = "--images",
      defaultValue = "500",
      description = "Synthetic images imported (default ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--s3-outage",
      defaultValue = "PT2M",
      description = "How long S3 stays down (ISO-8601 duration, default ${DEFAULT-VALUE}).")
  Duration s3Outage;

  @Option(
      names = "--broker-stop",
      defaultValue = "kill",
      description =
          "How the broker goes down: kill (SIGKILL, as a crash) or term (SIGTERM, a controlled"
              + " shutdown); default ${DEFAULT-VALUE}.")
  String brokerStop;

  @Option(
      names = "--finetune-epochs",
      defaultValue = "60",
      description =
          "Epoch cap of each fine-tuning: long enough that S3 can go down while one runs"
              + " (default ${DEFAULT-VALUE}).")
  int finetuneEpochs;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--faults",
      split = ",",
      defaultValue = "broker,s3",
      description = "Which faults, in this order: broker, s3 (default ${DEFAULT-VALUE}).")
  List<String> faults;

  private static final ObjectMapper JSON = new ObjectMapper();

  private PrintWriter out;
  private long started;
  private volatile boolean finished;

  @Override
  public void run() {
    out = spec.commandLine().getOut();
    if (!brokerStop.equals("kill") && !brokerStop.equals("term")) {
      throw new StackException("--broker-stop must be kill or term, got " + brokerStop);
    }
    if (faults.isEmpty() || !List.of("broker", "s3").containsAll(faults)) {
      throw new StackException("--faults takes broker and/or s3, got " + faults);
    }
    started = System.nanoTime();
    Path folder = home != null ? home : temporaryFolder();
    StackLayout layout = new StackLayout(folder);
    LocalStack stack = new LocalStack(layout, out);
    if (stack.isRunning()) {
      throw new StackException(
          "a stack runs in "
              + folder
              + ": this benchmark kills its broker and S3 server; give it a folder of its own");
    }
    Shutdown shutdown = new Shutdown(out);
    if (home == null) {
      shutdown.add(
          "the folder " + folder,
          () -> {
            if (finished && !keep) {
              delete(folder);
            } else {
              out.println("kept " + folder + " (the stack's data; the services' logs in logs/)");
            }
          });
    }
    shutdown.add("the local stack", stack::down);
    Thread hook = new Thread(shutdown::run, "alfer-bench-faults-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      StackPorts ports = new StackPorts(freePort(), freePort(), freePort());
      StackEnv env = stack.up(ports);
      DemoServices services =
          new DemoServices(
                  layout,
                  env,
                  Map.of(
                      // a labelling round lasts a few seconds: long enough to be in the middle of
                      "oracle", Map.of("ALFER_ORACLE_DELAY", "PT4S"),
                      "select", Map.of("ALFER_SELECT_TICK", "PT0.5S")))
              .start(shutdown, out);
      DemoSettings settings =
          new DemoSettings(
              "faults-fer",
              images,
              48,
              seed,
              "tiny",
              1,
              64,
              30,
              30,
              2,
              "cpu-fast",
              finetuneEpochs,
              "random",
              "random");
      DemoRun demo = new DemoRun(settings, services, out);
      demo.importSynthetic(folder);
      Map<String, URI> bases = new LinkedHashMap<>();
      for (String name : DemoServices.NAMES) {
        bases.put(name, services.get(name).baseUri());
      }
      String run = Long.toString(System.currentTimeMillis(), 36);
      try (HealthWatch watch = new HealthWatch(bases)) {
        List<FaultOutcome> outcomes = new ArrayList<>();
        for (String fault : faults) {
          outcomes.add(
              fault.equals("broker")
                  ? brokerRestart(stack, ports, env, services, demo, watch, run)
                  : s3Outage(stack, ports, env, services, demo, watch, run));
        }
        report(outcomes);
      }
      finished = true;
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /** Fault 1: the broker goes down in round 1's labelling and is started again at once. */
  private FaultOutcome brokerRestart(
      LocalStack stack,
      StackPorts ports,
      StackEnv env,
      DemoServices services,
      DemoRun demo,
      HealthWatch watch,
      String run) {
    String campaign = "faults-" + run + "-broker";
    SelectClient select = new SelectClient(services.get("select").baseUri());
    step(
        "the Kafka broker %s in the middle of round 1's labelling, started again on the"
            + " same port and data",
        brokerStop.equals("kill") ? "killed (SIGKILL)" : "stopped (SIGTERM)");
    select.create(demo.campaign(campaign, "random", "random", ""));
    awaitCampaign(
        select,
        campaign,
        "round 1 labelling",
        v -> v.path("rounds").size() == 2 && "labelling".equals(v.path("phase").asText()));
    long down = System.nanoTime();
    long pid = brokerStop.equals("kill") ? stack.kill(Server.KAFKA) : stack.stop(Server.KAFKA);
    note("broker (pid %d) %s", pid, brokerStop.equals("kill") ? "killed" : "stopped");
    stack.start(Server.KAFKA, ports);
    long back = System.nanoTime();
    note("broker answers again, %.1f s after it went down", seconds(down, back));
    long ready = awaitAllReady(watch, back);
    note("every service ready again %.1f s after that", seconds(back, ready));
    Map<String, JsonNode> views =
        CampaignWatcher.follow(select, Map.of(campaign, "campaign"), CAMPAIGN_LIMIT, out);
    long end = System.nanoTime();
    JsonNode view = views.get(campaign);
    return FaultOutcome.of(
        "Kafka broker "
            + (brokerStop.equals("kill") ? "killed (SIGKILL)" : "stopped (SIGTERM)")
            + " in round 1's labelling, started again",
        "broker",
        seconds(down, back),
        seconds(back, ready),
        watch.notReady(down, ready),
        watch.notLive(down, end),
        view,
        LabelLedger.read(env.kafkaBootstrap(), campaign),
        null,
        "");
  }

  /** Fault 2: S3 goes down while round 0's fine-tuning runs and comes back after the outage. */
  private FaultOutcome s3Outage(
      LocalStack stack,
      StackPorts ports,
      StackEnv env,
      DemoServices services,
      DemoRun demo,
      HealthWatch watch,
      String run) {
    String campaign = "faults-" + run + "-s3";
    String jobId = CampaignRules.jobId(campaign, 0);
    SelectClient select = new SelectClient(services.get("select").baseUri());
    TrainerClient trainer = new TrainerClient(services.get("trainer").baseUri());
    ObjectStore objects = new ObjectStore(env.s3());
    List<String> before = objects.listKeys("");
    step(
        "S3 killed while round 0's fine-tuning runs, started again after %s",
        CampaignWatcher.duration(s3Outage.toSeconds()));
    select.create(demo.campaign(campaign, "random", "random", ""));
    JsonNode running =
        awaitJob(
            trainer,
            jobId,
            j -> "running".equals(j.path("state").asText()) && j.path("step").asInt() > 0);
    long down = System.nanoTime();
    long pid = stack.kill(Server.S3);
    note(
        "S3 (pid %d) killed; job %s at epoch %d/%d, step %d/%d",
        pid,
        jobId,
        running.path("epoch").asInt(),
        running.path("epochs").asInt(),
        running.path("step").asInt(),
        running.path("steps").asInt());
    String lastState = describe(running);
    long until = down + s3Outage.toNanos();
    while (System.nanoTime() < until) {
      String now = describe(trainerJob(trainer, jobId));
      if (!now.equals(lastState)) {
        note("job %s: %s", jobId, now);
        lastState = now;
      }
      Polling.pause(Duration.ofSeconds(1));
    }
    stack.start(Server.S3, ports);
    long back = System.nanoTime();
    note("S3 answers again, %.1f s after it went down", seconds(down, back));
    long ready = awaitAllReady(watch, back);
    note("every service ready again %.1f s after that", seconds(back, ready));
    JsonNode job =
        awaitJob(
            trainer,
            jobId,
            j -> Set.of("succeeded", "failed", "cancelled").contains(j.path("state").asText()));
    long jobEnd = System.nanoTime();
    note(
        "job %s %s %.1f s after S3 came back (%d attempts)%s",
        jobId,
        job.path("state").asText(),
        seconds(back, jobEnd),
        job.path("attempts").asInt(),
        job.path("message").asText().isEmpty() ? "" : ": " + job.path("message").asText());
    Map<String, JsonNode> views =
        CampaignWatcher.follow(select, Map.of(campaign, "campaign"), CAMPAIGN_LIMIT, out);
    long end = System.nanoTime();
    Set<String> after = new LinkedHashSet<>(objects.listKeys(""));
    List<String> lostObjects = before.stream().filter(k -> !after.contains(k)).toList();
    boolean modelStored = after.contains(ModelStore.key(jobId, ModelStore.CHECKPOINT));
    return FaultOutcome.of(
        "S3 killed for " + CampaignWatcher.duration(s3Outage.toSeconds()) + " during a fine-tuning",
        "s3",
        seconds(down, back),
        seconds(back, ready),
        watch.notReady(down, ready),
        watch.notLive(down, end),
        views.get(campaign),
        LabelLedger.read(env.kafkaBootstrap(), campaign),
        new FaultOutcome.Job(
            jobId,
            job.path("state").asText(),
            job.path("message").asText(),
            job.path("attempts").asInt(),
            seconds(back, jobEnd),
            modelStored),
        lostObjects.isEmpty()
            ? ""
            : lostObjects.size() + " objects gone, e.g. " + lostObjects.get(0));
  }

  private void report(List<FaultOutcome> outcomes) {
    out.println();
    out.println(
        "fault outcomes (every service watched twice a second on /q/health/live and /ready)");
    for (FaultOutcome o : outcomes) {
      o.print(out);
    }
    out.printf(
        Locale.ROOT,
        "faults measured in %s%n",
        CampaignWatcher.duration(seconds(started, System.nanoTime())));
    List<String> line = new ArrayList<>();
    for (FaultOutcome o : outcomes) {
      line.addAll(o.keyValues());
    }
    int notLive = outcomes.stream().mapToInt(o -> o.notLive().size()).sum();
    boolean lost = outcomes.stream().anyMatch(o -> !o.lost().isEmpty());
    line.add("not_live=" + notLive);
    line.add("lost=" + (lost ? "yes" : "none"));
    out.println(String.join(" ", line));
    out.flush();
  }

  // --- waiting ----------------------------------------------------------------------------------

  private void awaitCampaign(
      SelectClient select, String campaign, String what, Predicate<JsonNode> reached) {
    long deadline = System.nanoTime() + CAMPAIGN_LIMIT.toNanos();
    while (true) {
      JsonNode view = select.campaign(campaign);
      if (reached.test(view)) {
        note("campaign %s: %s", campaign, what);
        return;
      }
      if (CampaignWatcher.ENDED.contains(view.path("state").asText())) {
        throw new StackException(
            "campaign " + campaign + " ended before " + what + ": " + view.path("message"));
      }
      if (System.nanoTime() > deadline) {
        throw new StackException("campaign " + campaign + " never reached " + what);
      }
      Polling.pause(POLL);
    }
  }

  private JsonNode awaitJob(TrainerClient trainer, String jobId, Predicate<JsonNode> reached) {
    long deadline = System.nanoTime() + CAMPAIGN_LIMIT.toNanos();
    while (true) {
      JsonNode job = trainerJob(trainer, jobId);
      if (reached.test(job)) {
        return job;
      }
      if (System.nanoTime() > deadline) {
        throw new StackException("job " + jobId + " stayed " + describe(job));
      }
      Polling.pause(POLL);
    }
  }

  /** The job's view, or a node with state "unknown" while the trainer does not know it. */
  private static JsonNode trainerJob(TrainerClient trainer, String jobId) {
    try {
      return trainer.job(jobId);
    } catch (StackException e) {
      return JSON.createObjectNode().put("state", "unknown").put("message", e.getMessage());
    }
  }

  private static String describe(JsonNode job) {
    String state = job.path("state").asText();
    String phase = job.path("phase").asText();
    String message = job.path("message").asText();
    return state
        + (phase.isEmpty() ? "" : " (" + phase + ")")
        + (message.isEmpty() ? "" : ": " + message);
  }

  private long awaitAllReady(HealthWatch watch, long since) {
    long deadline = since + READY_LIMIT.toNanos();
    while (true) {
      OptionalLong ready = watch.allReadySince(since);
      if (ready.isPresent()) {
        return ready.getAsLong();
      }
      if (System.nanoTime() > deadline) {
        throw new StackException(
            "not every service was ready again within "
                + READY_LIMIT.toMinutes()
                + " minutes: "
                + watch.notReady(since, System.nanoTime()));
      }
      Polling.pause(POLL);
    }
  }

  // --- small things -----------------------------------------------------------------------------

  private void step(String format, Object... args) {
    out.println();
    out.printf("== " + format + "%n", args);
    out.flush();
  }

  private void note(String format, Object... args) {
    out.printf(
        Locale.ROOT,
        "  %6s  " + format + "%n",
        Stream.concat(
                Stream.of(CampaignWatcher.duration(seconds(started, System.nanoTime()))),
                Stream.of(args))
            .toArray());
    out.flush();
  }

  static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new StackException("no free port: " + e.getMessage(), e);
    }
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("alfer-faults-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + folder + ": " + e.getMessage(), e);
    }
  }
}
