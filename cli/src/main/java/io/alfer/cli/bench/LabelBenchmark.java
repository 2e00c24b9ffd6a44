package io.alfer.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.datasets.ClassTaxonomy;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench label}: how many vendor results per second the label service accepts and
 * reconciles into labels, on the local stack. The benchmark selects N images for a vendor of its
 * own ({@value #VENDOR}), waits for their tasks on {@code alfer.vendor.bench.tasks}, and then acts
 * as the vendor: one result per task, JSON with CloudEvents headers exactly as the vendor contract
 * shows, on {@code alfer.vendor.bench.results}, as fast as a producer can (or at {@code --rate}).
 * It reads {@code alfer.labels} meanwhile and reports, side by side, the rate the broker took the
 * results at and the rate the service turned them into labels (first result sent → last label seen)
 * against the goal, the latency from an image's last result to its label, and whether anything was
 * lost, doubled or refused.
 */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    description = {
      "Vendor results per second the label service accepts and reconciles into labels, with the"
          + " latency from result to label; checks that every image gets exactly one label.",
      "%nFinal line: label_results_per_s=... p50_ms=... p99_ms=... labels=... lost=... doubled=..."
          + " refused=... goal_results_per_s=1000"
    })
public final class LabelBenchmark implements Runnable {
  /** The benchmark's vendor, registered with the label service it starts. */
  static final String VENDOR = "bench";

  /** Results per second the service should take at least. */
  static final int GOAL_RESULTS_PER_S = 1000;

  /**
   * Tasks per selection: a large selection is sent in parts (a round of the loop selects a few
   * hundred images; one record of 20,000 would near Kafka's 1 MB record limit).
   */
  static final int TASKS_PER_SELECTION = 4000;

  private static final Duration STALL = Duration.ofMinutes(2);
  private static final int MISMATCHES_SHOWN = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--images",
      defaultValue = "20000",
      description = "Images selected and labelled in the timed run (default ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--annotations",
      defaultValue = "1",
      description = "Annotations per image: K tasks and K results each (default ${DEFAULT-VALUE}).")
  int annotations;

  @Option(
      names = "--annotators",
      defaultValue = "20",
      description = "Annotators of the vendor, answering in turn (default ${DEFAULT-VALUE}).")
  int annotators;

  @Option(
      names = "--unanimous",
      defaultValue = "0.8",
      description =
          "Share of images whose K results all name one class; in the others the last slot names"
              + " another (default ${DEFAULT-VALUE}).")
  double unanimous;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Results per second the vendor sends; 0 sends as fast as the producer can"
              + " (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--warmup",
      defaultValue = "2000",
      description =
          "Images of an untimed run first, in a campaign of their own, so that the service is"
              + " measured with a warm JVM (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  /** What one run measured. */
  record Run(
      int images,
      int results,
      double vendorSeconds,
      LabelTally tally,
      int unanswered,
      long refused,
      long serviceAnswered,
      long serviceRefused,
      List<LabelAssigned> mismatches,
      int[] expected) {
    double resultsPerSecond() {
      return results / tally.seconds();
    }
  }

  @Override
  public void run() {
    if (images < 1 || annotations < 1 || annotators < 1 || warmup < 0 || rate < 0) {
      throw new StackException(
          "--images, --annotations and --annotators must be at least 1, --warmup and --rate at"
              + " least 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = new LocalStack(home.layout(), out);
    Shutdown shutdown = new Shutdown(out);
    if (!stack.isRunning()) {
      shutdown.add("the local stack", stack::down);
    }
    Thread hook = new Thread(shutdown::run, "alfer-bench-label-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      StackEnv env = stack.up(StackPorts.fromEnvironment());
      long earlier = records(env.kafkaBootstrap(), Topic.LABELS.topicName());
      if (earlier > 0) {
        out.printf(
            "note: the stack holds %,d earlier labels; the service replays them (and their tasks"
                + " and results) at start and keeps them in memory, so figures compare on a fresh"
                + " --home only%n",
            earlier);
      }
      ServiceProcess label =
          ServiceProcess.start(
              "label",
              home.layout(),
              env,
              Map.of("QUARKUS_CONFIG_LOCATIONS", vendorConfig().toString()),
              out);
      shutdown.add("label", label::close);
      String run = Long.toString(System.currentTimeMillis(), 36);
      String dataset = "bench-label-" + run;
      List<String> classes = ClassTaxonomy.FER7.classes();
      defineDataset(env.kafkaBootstrap(), dataset, classes);
      if (warmup > 0) {
        out.printf("warm-up: %d images in a campaign of their own, not timed%n", warmup);
        out.flush();
        Run warm =
            measure(env, label.baseUri(), "bench-label-warmup-" + run, dataset, warmup, 1, out);
        out.printf(
            Locale.ROOT,
            "warm-up done: %,.0f results/s, lost %d, doubled %d%n%n",
            warm.resultsPerSecond(),
            warm.tally().lost(),
            warm.tally().doubled());
      }
      Run timed = measure(env, label.baseUri(), "bench-label-" + run, dataset, images, 0, out);
      report(timed, out);
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /** A configuration file that registers the benchmark's vendor with the label service. */
  private Path vendorConfig() {
    Path file = home.layout().home().resolve("bench-label.properties");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          "# written by ./alfer bench label: the benchmark's own vendor\n"
              + "alfer.label.vendors."
              + VENDOR
              + ".description=alfer bench label\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * One run: select {@code n} images, collect their tasks, answer every one and read the labels.
   *
   * @param seedOffset added to the seed, so that the warm-up answers differently
   */
  private Run measure(
      StackEnv env,
      URI service,
      String campaign,
      String dataset,
      int n,
      int seedOffset,
      PrintWriter out) {
    String bootstrap = env.kafkaBootstrap();
    int k = annotations;
    String[] imageIds = new String[n];
    Map<String, Integer> index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      imageIds[i] = imageId(campaign, i);
      index.put(imageIds[i], i);
    }
    JsonNode before = vendorCounts(service);
    try (KafkaConsumer<String, byte[]> tasks =
            consumerAtEnd(bootstrap, VendorTopics.tasks(VENDOR));
        KafkaConsumer<String, byte[]> dlq =
            consumerAtEnd(bootstrap, VendorTopics.refusedResults(VENDOR))) {
      Map<TopicPartition, Long> dlqStart = positions(dlq);
      select(bootstrap, campaign, dataset, imageIds, k, out);
      String[][] taskIds = collectTasks(tasks, campaign, index, k, out);

      LabelTally tally = new LabelTally(n);
      List<ProducerRecord<String, byte[]>> results =
          results(campaign, taskIds, tally, new Random(seed + seedOffset));
      LabelReader reader = new LabelReader(bootstrap, campaign, index, tally);
      Thread readerThread = new Thread(reader, "bench-label-reader");
      readerThread.setDaemon(true);
      readerThread.start();
      reader.awaitAssigned();

      out.printf(
          "sending %,d results (%d per image) on %s%s%n",
          results.size(),
          k,
          VendorTopics.results(VENDOR),
          rate > 0 ? " at " + rate + "/s" : ", as fast as the producer can");
      out.flush();
      double vendorSeconds = send(bootstrap, results, k, tally);
      out.printf(
          Locale.ROOT,
          "  the broker took them in %.2f s (%,.0f results/s)%n",
          vendorSeconds,
          results.size() / vendorSeconds);
      out.flush();
      awaitLabels(reader, tally, out);
      // Anything doubled would come right after: keep reading a moment longer.
      Polling.pause(Duration.ofSeconds(3));
      reader.stop();
      join(readerThread);
      if (reader.failure() != null) {
        throw new StackException("reading alfer.labels failed: " + reader.failure());
      }
      long refused = 0;
      Map<TopicPartition, Long> dlqEnd = dlq.endOffsets(dlqStart.keySet());
      for (Map.Entry<TopicPartition, Long> e : dlqStart.entrySet()) {
        refused += dlqEnd.get(e.getKey()) - e.getValue();
      }
      JsonNode after = vendorCounts(service);
      return new Run(
          n,
          results.size(),
          vendorSeconds,
          tally,
          reader.unanswered(),
          refused,
          after.path("answered").asLong() - before.path("answered").asLong(),
          refusedTotal(after) - refusedTotal(before),
          List.copyOf(reader.mismatches()),
          reader.mismatches().stream()
              .mapToInt(l -> tally.unanimousClass(index.get(l.getImageId())))
              .toArray());
    }
  }

  private void report(Run r, PrintWriter out) {
    double[] ms = r.tally().latenciesMs();
    double p50 = LabelTally.percentile(ms, 50);
    double p99 = LabelTally.percentile(ms, 99);
    double max = ms.length == 0 ? Double.NaN : ms[ms.length - 1];
    double perSecond = r.resultsPerSecond();
    out.println();
    out.printf(
        "label service, %,d images × %d annotation(s), vendor '%s' (%d annotators), %s%n",
        r.images(),
        annotations,
        VENDOR,
        annotators,
        rate > 0
            ? "results offered at " + rate + "/s"
            : "results sent as fast as the producer can");
    out.printf("%-44s %9s %9s %11s%n", "", "results", "seconds", "results/s");
    out.printf(
        Locale.ROOT,
        "%-44s %,9d %9.2f %,11.0f%n",
        "vendor → broker (acks=all)",
        r.results(),
        r.vendorSeconds(),
        r.results() / r.vendorSeconds());
    out.printf(
        Locale.ROOT,
        "%-44s %,9d %9.2f %,11.0f   goal ≥ %,d%n",
        "first result sent → last label (service)",
        r.results(),
        r.tally().seconds(),
        perSecond,
        GOAL_RESULTS_PER_S);
    out.printf(
        Locale.ROOT,
        "latency, an image's last result sent → its label seen: p50 %.0f ms, p99 %.0f ms,"
            + " max %.0f ms%n",
        p50,
        p99,
        max);
    out.printf(
        "labels %,d of %,d images: lost %d, doubled %d, unanswered %d, mismatched %d;"
            + " refused %d (on %s)%n",
        r.tally().labelled(),
        r.images(),
        r.tally().lost(),
        r.tally().doubled(),
        r.unanswered(),
        r.tally().mismatched(),
        r.refused(),
        VendorTopics.refusedResults(VENDOR));
    List<String> classes = ClassTaxonomy.FER7.classes();
    for (int i = 0; i < r.mismatches().size(); i++) {
      LabelAssigned l = r.mismatches().get(i);
      out.printf(
          Locale.ROOT,
          "  mismatched: image %s, every result said %s, the label is %s (%s, agreement %.3f,"
              + " %d annotations)%n",
          l.getImageId(),
          classes.get(r.expected()[i]),
          l.getLabelName(),
          l.getMethod(),
          l.getAgreement(),
          l.getAnnotations());
    }
    out.printf(
        "the service's own count (GET /vendors/%s): answered %,d, refused %d in this run%n",
        VENDOR, r.serviceAnswered(), r.serviceRefused());
    out.printf(
        Locale.ROOT,
        "label_results_per_s=%.0f p50_ms=%.0f p99_ms=%.0f labels=%d lost=%d doubled=%d"
            + " refused=%d goal_results_per_s=%d%n",
        perSecond,
        p50,
        p99,
        r.tally().labelled(),
        r.tally().lost(),
        r.tally().doubled(),
        r.refused(),
        GOAL_RESULTS_PER_S);
    out.flush();
  }

  // --- the select service's part: dataset and selections -------------------------------------

  private static void defineDataset(String bootstrap, String dataset, List<String> classes) {
    DatasetDefined d =
        DatasetDefined.newBuilder()
            .setDataset(dataset)
            .setTaxonomy(ClassTaxonomy.of(classes).toProto())
            .setWidth(48)
            .setHeight(48)
            .setLayout("bench")
            .setOrigin(Origins.now("bench", "cli"))
            .build();
    try (KafkaProducer<String, byte[]> p = producer(bootstrap, Map.of())) {
      p.send(new ProducerRecord<>(Topic.DATASETS.topicName(), dataset, d.toByteArray())).get();
    } catch (Exception e) {
      throw new StackException("defining the dataset failed: " + e.getMessage(), e);
    }
  }

  /** Selects the images for the vendor, in parts of at most {@link #TASKS_PER_SELECTION} tasks. */
  private static void select(
      String bootstrap,
      String campaign,
      String dataset,
      String[] imageIds,
      int annotations,
      PrintWriter out) {
    int perSelection = Math.max(1, TASKS_PER_SELECTION / annotations);
    int parts = 0;
    try (KafkaProducer<String, byte[]> p = producer(bootstrap, Map.of())) {
      for (int from = 0; from < imageIds.length; from += perSelection) {
        SelectionMade.Builder s =
            SelectionMade.newBuilder()
                .setCampaignId(campaign)
                .setRound(0)
                .setDataset(dataset)
                .addVendors(VENDOR)
                .setAnnotationsPerImage(annotations)
                .setOrigin(Origins.now("bench", "cli"));
        for (int i = from; i < Math.min(imageIds.length, from + perSelection); i++) {
          s.addImages(SelectedImage.newBuilder().setImageId(imageIds[i]).setScore(1));
        }
        p.send(
                new ProducerRecord<>(
                    Topic.SELECTIONS.topicName(), campaign, s.build().toByteArray()))
            .get();
        parts++;
      }
    } catch (Exception e) {
      throw new StackException("selecting the images failed: " + e.getMessage(), e);
    }
    out.printf(
        "selected %,d images for vendor '%s', %d annotation(s) each (%d selections)%n",
        imageIds.length, VENDOR, annotations, parts);
    out.flush();
  }

  /** Waits for every task of the campaign; returns the task ids by image and slot. */
  private static String[][] collectTasks(
      KafkaConsumer<String, byte[]> consumer,
      String campaign,
      Map<String, Integer> index,
      int annotations,
      PrintWriter out) {
    String[][] taskIds = new String[index.size()][annotations];
    int wanted = index.size() * annotations;
    int seen = 0;
    long start = System.nanoTime();
    long lastProgress = start;
    long lastPrint = start;
    while (seen < wanted) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        JsonNode task = readTask(r.value());
        if (!campaign.equals(task.path("campaignId").asText())) {
          continue;
        }
        Integer image = index.get(task.path("imageId").asText());
        int slot = task.path("slot").asInt();
        if (image == null || slot < 0 || slot >= annotations) {
          throw new StackException("a task the benchmark did not ask for: " + task);
        }
        if (taskIds[image][slot] == null) { // tasks are written at least once
          taskIds[image][slot] = task.path("taskId").asText();
          seen++;
          lastProgress = System.nanoTime();
        }
      }
      long now = System.nanoTime();
      if (now - lastProgress > STALL.toNanos()) {
        throw new StackException(
            "only " + seen + " of " + wanted + " tasks came within " + STALL.toMinutes() + " min");
      }
      if (now - lastPrint > 2_000_000_000L) {
        out.printf("  tasks %,d / %,d%n", seen, wanted);
        out.flush();
        lastPrint = now;
      }
    }
    out.printf(
        Locale.ROOT,
        "the label service issued the %,d tasks in %.1f s%n",
        wanted,
        (System.nanoTime() - start) / 1e9);
    out.flush();
    return taskIds;
  }

  private static JsonNode readTask(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new StackException("a task that is not JSON: " + e.getMessage(), e);
    }
  }

  // --- the vendor's part ---------------------------------------------------------------------

  /**
   * The results of every task, image by image and slot by slot: each image's slots name one class,
   * but for a share {@code 1 - unanimous} of images (with two or more slots) whose last slot names
   * another; annotators answer in turn.
   */
  private List<ProducerRecord<String, byte[]>> results(
      String campaign, String[][] taskIds, LabelTally tally, Random random) {
    List<String> classes = ClassTaxonomy.FER7.classes();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    Instant answeredAt = Instant.now();
    int next = 0;
    for (int i = 0; i < taskIds.length; i++) {
      int truth = random.nextInt(classes.size());
      int k = taskIds[i].length;
      boolean agree = k == 1 || random.nextDouble() < unanimous;
      if (agree) {
        tally.expect(i, truth);
      }
      for (int s = 0; s < k; s++) {
        int label =
            agree || s < k - 1
                ? truth
                : (truth + 1 + random.nextInt(classes.size() - 1)) % classes.size();
        String annotator = "ann-" + (next++ % annotators);
        records.add(resultRecord(VENDOR, taskIds[i][s], annotator, classes.get(label), answeredAt));
      }
    }
    return records;
  }

  /**
   * A vendor's result as docs/vendor-contract.md shows it: the {@code LabelResult} JSON on the
   * vendor's result topic, key = task id, with the seven CloudEvents headers (ce_time is set again
   * when it is sent).
   */
  static ProducerRecord<String, byte[]> resultRecord(
      String vendor, String taskId, String annotator, String label, Instant answeredAt) {
    ObjectNode value = JSON.createObjectNode();
    value.put("taskId", taskId);
    value.put("vendor", vendor);
    value.put("annotator", annotator);
    value.put("label", label);
    value.put("answeredAt", answeredAt.toString());
    value.put("confidence", 0.9);
    RecordHeaders headers = new RecordHeaders();
    header(headers, CloudEvents.SPECVERSION, CloudEvents.VERSION);
    header(headers, CloudEvents.ID, UUID.randomUUID().toString());
    header(headers, CloudEvents.SOURCE, "/vendors/" + vendor);
    header(headers, CloudEvents.TYPE, CloudEvents.LABEL_RESULT_TYPE);
    header(headers, CloudEvents.TIME, answeredAt.toString());
    header(headers, CloudEvents.SUBJECT, taskId);
    header(headers, CloudEvents.CONTENT_TYPE, CloudEvents.JSON);
    try {
      return new ProducerRecord<>(
          VendorTopics.results(vendor), null, taskId, JSON.writeValueAsBytes(value), headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends the results in order, at {@code --rate} or as fast as the producer takes them, and
   * records when each image's results went out; returns the seconds until the broker had
   * acknowledged all of them.
   */
  private double send(
      String bootstrap, List<ProducerRecord<String, byte[]>> results, int k, LabelTally tally) {
    AtomicReference<Exception> failed = new AtomicReference<>();
    AtomicInteger acked = new AtomicInteger();
    long start;
    try (KafkaProducer<String, byte[]> p =
        producer(
            bootstrap,
            Map.of(
                ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, "65536"))) {
      start = System.nanoTime();
      for (int i = 0; i < results.size(); i++) {
        if (rate > 0) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        ProducerRecord<String, byte[]> r = results.get(i);
        r.headers().remove(CloudEvents.TIME);
        header((RecordHeaders) r.headers(), CloudEvents.TIME, Instant.now().toString());
        tally.sent(i / k, System.nanoTime());
        p.send(
            r,
            (meta, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
      }
      p.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failed.get() != null || acked.get() != results.size()) {
      throw new StackException(
          "the broker took "
              + acked.get()
              + " of "
              + results.size()
              + " results"
              + (failed.get() == null ? "" : ": " + failed.get().getMessage()));
    }
    return seconds;
  }

  private static void awaitLabels(LabelReader reader, LabelTally tally, PrintWriter out) {
    int n = tally.images();
    long lastPrint = System.nanoTime();
    int lastCount = 0;
    long lastProgress = lastPrint;
    while (tally.labelled() + reader.unanswered() < n) {
      Polling.pause(Duration.ofMillis(100));
      if (reader.failure() != null) {
        return;
      }
      long now = System.nanoTime();
      int count = tally.labelled() + reader.unanswered();
      if (count > lastCount) {
        lastProgress = now;
      } else if (now - lastProgress > STALL.toNanos()) {
        out.printf(
            "no label for %d min; %,d of %,d images labelled%n", STALL.toMinutes(), count, n);
        return;
      }
      if (now - lastPrint >= 2_000_000_000L) {
        out.printf(
            Locale.ROOT,
            "  labels %,d / %,d (%,.0f/s)%n",
            count,
            n,
            (count - lastCount) / ((now - lastPrint) / 1e9));
        out.flush();
        lastPrint = now;
        lastCount = count;
      }
    }
  }

  /** Reads alfer.labels from where it ended when it started, into the tally. */
  private static final class LabelReader implements Runnable {
    private final String bootstrap;
    private final String campaign;
    private final Map<String, Integer> index;
    private final LabelTally tally;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicInteger unanswered = new AtomicInteger();
    private final List<LabelAssigned> mismatches = new CopyOnWriteArrayList<>();
    private volatile String failure;

    LabelReader(String bootstrap, String campaign, Map<String, Integer> index, LabelTally tally) {
      this.bootstrap = bootstrap;
      this.campaign = campaign;
      this.index = index;
      this.tally = tally;
    }

    @Override
    public void run() {
      try (KafkaConsumer<String, byte[]> c = consumerAtEnd(bootstrap, Topic.LABELS.topicName())) {
        assigned.countDown();
        while (running.get()) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
            long now = System.nanoTime();
            LabelAssigned label = LabelAssigned.parseFrom(r.value());
            if (!campaign.equals(label.getCampaignId())) {
              continue;
            }
            Integer image = index.get(label.getImageId());
            if (image == null) {
              failure = "a label of an image the benchmark did not select: " + label;
            } else if (label.getOutcome() == LabelOutcome.LABEL_OUTCOME_UNANSWERED) {
              unanswered.incrementAndGet();
            } else if (tally.labelled(image, label.getLabel(), now)
                && mismatches.size() < MISMATCHES_SHOWN) {
              mismatches.add(label);
            }
          }
        }
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        failure = e.toString();
      } finally {
        assigned.countDown();
      }
    }

    void awaitAssigned() {
      try {
        assigned.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted", e);
      }
    }

    void stop() {
      running.set(false);
    }

    int unanswered() {
      return unanswered.get();
    }

    String failure() {
      return failure;
    }

    /** The first labels that named another class than their image's unanimous results. */
    List<LabelAssigned> mismatches() {
      return mismatches;
    }
  }

  // --- plumbing ------------------------------------------------------------------------------

  /** An image id of the campaign: 32 hex digits, like the ids alfer derives from pixels. */
  static String imageId(String campaign, int i) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest((campaign + "/" + i).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  /** A consumer of every partition of {@code topic}, positioned at its current end. */
  private static KafkaConsumer<String, byte[]> consumerAtEnd(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts =
        c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(i -> new TopicPartition(i.topic(), i.partition()))
            .toList();
    c.assign(parts);
    c.seekToEnd(parts);
    parts.forEach(c::position); // resolve now: nothing written later is skipped
    return c;
  }

  /** The records a topic holds now (the sum of its partitions' end offsets). */
  private static long records(String bootstrap, String topic) {
    try (KafkaConsumer<String, byte[]> c = consumerAtEnd(bootstrap, topic)) {
      return positions(c).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static Map<TopicPartition, Long> positions(KafkaConsumer<String, byte[]> c) {
    Map<TopicPartition, Long> at = new HashMap<>();
    c.assignment().forEach(tp -> at.put(tp, c.position(tp)));
    return at;
  }

  private static KafkaProducer<String, byte[]> producer(
      String bootstrap, Map<String, String> settings) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putAll(settings);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** The label service's counts of the vendor ({@code GET /vendors/bench}). */
  private static JsonNode vendorCounts(URI service) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpRequest get =
        HttpRequest.newBuilder(service.resolve("/vendors/" + VENDOR))
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new StackException(
            "label: GET /vendors/" + VENDOR + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new StackException("cannot reach the label service: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }

  private static long refusedTotal(JsonNode counts) {
    long total = 0;
    for (JsonNode n : counts.path("refused")) {
      total += n.asLong();
    }
    return total;
  }

  private static void join(Thread t) {
    try {
      t.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
