package io.alfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.demo.DemoRun;
import io.alfer.cli.demo.DemoServices;
import io.alfer.cli.demo.DemoSettings;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.api.CampaignRequest;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.TrainingRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench round}: how long the system takes from the last label of a round to the next
 * round's labelling tasks, on a FER2013-sized pool, through every service on the local stack. The
 * stages are read from the broker's record timestamps, so nothing in the services is instrumented:
 * last label in (alfer.labels) → fine-tuning requested (alfer.training.requests) → classifier
 * announced (alfer.models) → its pool embeddings announced (alfer.embeddings) → next selection
 * (alfer.selections) → last task of that selection out (the oracle's alfer.vendor.oracle.tasks).
 */
@Command(
    name = "round",
    mixinStandardHelpOptions = true,
    description = {
      "Round latency of the whole loop (last label in → next tasks out) on a synthetic pool,"
          + " split into request, fine-tune, embed, select and publish, read from the broker's"
          + " record timestamps.",
      "%nFinal line: round_s=... request_s=... finetune_s=... embed_s=... select_s=... publish_s=..."
    })
public final class RoundLatencyBenchmark implements Runnable {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--images",
      defaultValue = "37500",
      description =
          "Synthetic images (80% pool: 37,500 gives a ~30,000-image pool; default ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--batch",
      defaultValue = "300",
      description = "Initial labels and labels per round (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--strategy",
      defaultValue = "margin",
      description = "Strategy of the rounds (default ${DEFAULT-VALUE}).")
  String strategy;

  @Option(
      names = "--preset",
      defaultValue = "tiny",
      description = "Encoder preset (default ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--finetune-epochs",
      defaultValue = "10",
      description = "Epoch cap of each fine-tuning (default ${DEFAULT-VALUE}).")
  int finetuneEpochs;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  /** One stage boundary: the broker timestamp (ms) of a record. */
  record Stage(String name, long at) {}

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = new LocalStack(home.layout(), out);
    Shutdown shutdown = new Shutdown(out);
    if (!stack.isRunning()) {
      shutdown.add("the local stack", stack::down);
    }
    Thread hook = new Thread(shutdown::run, "alfer-bench-round-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      StackEnv env = stack.up(StackPorts.fromEnvironment());
      DemoServices services = new DemoServices(home.layout(), env, Map.of()).start(shutdown, out);
      String run = Long.toString(System.currentTimeMillis(), 36);
      DemoSettings settings =
          new DemoSettings(
              "bench-round-" + images,
              images,
              48,
              seed,
              preset,
              1,
              256,
              batch,
              batch,
              2,
              "cpu-fast",
              finetuneEpochs,
              strategy,
              "random");
      DemoRun demo = new DemoRun(settings, services, out);
      demo.importSynthetic(home.layout().home());
      String campaign = "bench-round-" + run;
      CampaignRequest body = demo.campaign(campaign, strategy, "random", "");
      new io.alfer.cli.service.SelectClient(services.get("select").baseUri()).create(body);
      Map<String, JsonNode> views =
          demo.follow(Map.of(campaign, strategy + ", from scratch"), Duration.ofHours(2));
      JsonNode view = views.get(campaign);
      if (!"completed".equals(view.path("state").asText())) {
        throw new StackException("campaign " + view.path("state").asText() + ": " + view);
      }
      int poolSize = view.path("spec").path("poolSize").asInt();
      out.printf(
          "%npool %d images, %d labels per round, %s; stages from broker timestamps%n",
          poolSize, batch, strategy);
      List<List<Stage>> rounds = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        rounds.add(stages(env.kafkaBootstrap(), campaign, r));
      }
      out.println();
      out.printf("%-34s %14s %14s%n", "stage", "round 0 → 1", "round 1 → 2");
      double[][] seconds = new double[2][];
      for (int r = 0; r < 2; r++) {
        List<Stage> s = rounds.get(r);
        seconds[r] = new double[s.size()];
        for (int i = 1; i < s.size(); i++) {
          seconds[r][i] = (s.get(i).at() - s.get(i - 1).at()) / 1000.0;
        }
        seconds[r][0] = (s.get(s.size() - 1).at() - s.get(0).at()) / 1000.0;
      }
      List<Stage> names = rounds.get(0);
      for (int i = 1; i < names.size(); i++) {
        out.printf(
            Locale.ROOT,
            "%-34s %13.1fs %13.1fs%n",
            names.get(i).name(),
            seconds[0][i],
            seconds[1][i]);
      }
      out.printf(
          Locale.ROOT,
          "%-34s %13.1fs %13.1fs%n",
          "total: last label in → tasks out",
          seconds[0][0],
          seconds[1][0]);
      out.println(
          "(round 0 → 1 includes packing the pool into training shards once; 1 → 2 is the steady state)");
      double[] s = seconds[1];
      out.printf(
          Locale.ROOT,
          "round_s=%.1f request_s=%.1f finetune_s=%.1f embed_s=%.1f select_s=%.1f publish_s=%.1f%n",
          s[0],
          s[1],
          s[2],
          s[3],
          s[4],
          s[5]);
      out.flush();
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /** The stage boundaries of the transition from round {@code r} to round {@code r + 1}. */
  static List<Stage> stages(String bootstrap, String campaign, int r) {
    String jobId = campaign + "-r" + r;
    long lastLabel =
        last(
            bootstrap,
            Topic.LABELS,
            v -> {
              LabelAssigned l = LabelAssigned.parseFrom(v);
              return l.getCampaignId().equals(campaign) && l.getRound() == r;
            });
    long requested =
        first(
            bootstrap,
            Topic.TRAINING_REQUESTS,
            v -> TrainingRequest.parseFrom(v).getJobId().equals(jobId));
    String[] modelId = new String[1];
    long model =
        first(
            bootstrap,
            Topic.MODELS,
            v -> {
              ModelPublished m = ModelPublished.parseFrom(v);
              if (m.getCampaignId().equals(campaign) && m.getRound() == r) {
                modelId[0] = m.getModelId();
                return true;
              }
              return false;
            });
    long embedded =
        first(
            bootstrap,
            Topic.EMBEDDINGS,
            v -> {
              EmbeddingsReady e = EmbeddingsReady.parseFrom(v);
              return e.getModelId().equals(modelId[0])
                  && e.getSplit() == Split.SPLIT_POOL
                  && !e.getIncrement();
            });
    long selected =
        first(
            bootstrap,
            Topic.SELECTIONS,
            v -> {
              SelectionMade s = SelectionMade.parseFrom(v);
              return s.getCampaignId().equals(campaign) && s.getRound() == r + 1;
            });
    long tasks =
        last(
            bootstrap,
            VendorTopics.tasks("oracle"),
            v -> {
              LabelTask.Builder t = LabelTask.newBuilder();
              com.google.protobuf.util.JsonFormat.parser()
                  .ignoringUnknownFields()
                  .merge(new String(v, java.nio.charset.StandardCharsets.UTF_8), t);
              return t.getCampaignId().equals(campaign)
                  && t.getRound() == r + 1
                  && t.getAttempt() == 0;
            });
    return List.of(
        new Stage("last label of the round in", lastLabel),
        new Stage("fine-tuning requested (select)", requested),
        new Stage("classifier announced (trainer)", model),
        new Stage("pool embeddings announced (embed)", embedded),
        new Stage("next batch selected (select)", selected),
        new Stage("its last task out (label)", tasks));
  }

  interface Match {
    boolean test(byte[] value) throws Exception;
  }

  private static long first(String bootstrap, Topic topic, Match match) {
    return scan(bootstrap, topic.topicName(), match, true);
  }

  private static long last(String bootstrap, Topic topic, Match match) {
    return scan(bootstrap, topic.topicName(), match, false);
  }

  private static long last(String bootstrap, String topic, Match match) {
    return scan(bootstrap, topic, match, false);
  }

  /** The broker timestamp of the first (or last) record of a topic that matches. */
  private static long scan(String bootstrap, String topic, Match match, boolean first) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    long best = first ? Long.MAX_VALUE : Long.MIN_VALUE;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          boolean matches;
          try {
            matches = r.value() != null && match.test(r.value());
          } catch (Exception e) {
            matches = false; // not this stage's record (or not decodable): skip it
          }
          if (matches) {
            best = first ? Math.min(best, r.timestamp()) : Math.max(best, r.timestamp());
          }
        }
      }
    }
    if (best == Long.MAX_VALUE || best == Long.MIN_VALUE) {
      throw new StackException("no record on " + topic + " marks this stage");
    }
    return best;
  }
}
