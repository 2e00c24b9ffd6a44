package io.alfer.deploy.checks;

import io.alfer.core.messaging.CatalogRecords;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service does on Kafka, derived from its code and configuration: the topics it reads and
 * writes and the consumer groups it uses. The messaging channels are read from its
 * application.properties; the Kafka clients a service builds itself (TopicFollower replays, a group
 * consumer outside the channels) and the topics a channel writes by a per-record choice are listed
 * in {@link #OWN_CLIENTS}, which the checks hold against the topics its main sources name.
 */
record KafkaAccess(
    Set<String> reads, Set<String> writes, Set<String> groups, Set<String> prefixes) {
  /**
   * The topics select replays as inputs and whose bad records it dead-letters
   * (services/select/.../state/SelectState.INPUTS, alfer.selections.dlq apart).
   */
  private static final Topic[] SELECT_INPUTS = {
    Topic.CAMPAIGNS,
    Topic.DATASETS,
    Topic.IMAGES,
    Topic.MODELS,
    Topic.EMBEDDINGS,
    Topic.LABELS,
    Topic.TRAINING_PROGRESS
  };

  /**
   * The topics each service reads with Kafka clients of its own, the topics a channel of it writes
   * to by choosing the topic per record, and the property naming the consumer group of such a
   * client: what its messaging channels do not show. When a service starts or stops using a topic
   * this way, change it here (and its KafkaUser); the checks fail until both agree with the code.
   */
  static final Map<String, OwnClients> OWN_CLIENTS =
      Map.of(
          // dataset/CatalogFollower: replays the catalog to recognise duplicates.
          "ingest",
          new OwnClients(names(Topic.DATASETS, Topic.IMAGES), Set.of(), List.of()),
          // dataset/DatasetFollower: replays the catalog to validate requests.
          "trainer",
          new OwnClients(names(Topic.DATASETS, Topic.IMAGES), Set.of(), List.of()),
          // model/ModelRegistry replays alfer.models; work/ImagePartitions shares alfer.images in a
          // consumer group (and commits its offsets); work/ItemWorker does the work items of
          // alfer.embed.work in a second group (adr/0002-work-items.md).
          "embed",
          new OwnClients(
              names(Topic.MODELS, Topic.IMAGES, Topic.EMBED_WORK),
              Set.of(),
              List.of("alfer.embed.consumer-group", "alfer.embed.work-group")),
          // select: state/SelectState replays the dead-letter topics of its inputs (what it refused
          // already), then alfer.campaigns and every input (adr/0001); state/InputRecords
          // dead-letters a record it cannot use to <its topic>.dlq through the channel
          // dead-letters-out (messaging/Publisher: the topic is set per record).
          "select",
          new OwnClients(
              union(
                  names(SELECT_INPUTS),
                  dlqNames(SELECT_INPUTS),
                  Set.of(Topic.SELECTIONS.dlqName())),
              dlqNames(SELECT_INPUTS),
              List.of()),
          // state/LabelState: the record of what was decided, then the inputs (adr/0001); every
          // vendor's topics (VendorTopics: tasks and refused results replayed and written, results
          // followed and written for HTTP answers) under one prefix, whatever vendors there are.
          "label",
          new OwnClients(
              Set.of(
                  Topic.DATASETS.topicName(),
                  Topic.LABELS.topicName(),
                  Topic.SELECTIONS.dlqName(),
                  Topic.SELECTIONS.topicName()),
              Set.of(),
              List.of(),
              Set.of(VendorTopics.PREFIX)),
          // truth/GroundTruth: the ground truth of every image.
          "oracle",
          new OwnClients(names(Topic.IMAGES), Set.of(), List.of()),
          // gallery/Samples: a few images per dataset and class, for the class galleries.
          "console",
          new OwnClients(names(Topic.IMAGES), Set.of(), List.of()));

  /**
   * Topics read by a service's own Kafka clients, topics written by a channel that picks the topic
   * per record ({@code OutgoingKafkaRecordMetadata.withTopic}: the channel's own topic is only a
   * default), and the properties naming the groups of its own clients.
   */
  record OwnClients(
      Set<String> reads, Set<String> writes, List<String> groupProperties, Set<String> prefixes) {
    OwnClients(Set<String> reads, Set<String> writes, List<String> groupProperties) {
      this(reads, writes, groupProperties, Set.of());
    }
  }

  private static final Pattern CHANNEL =
      Pattern.compile("^mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(.+)$");
  private static final Pattern TOPIC_REFERENCE =
      Pattern.compile("\\bTopic\\.([A-Z][A-Z_]*)\\b(\\s*\\.\\s*dlqName\\(\\))?");

  /**
   * What {@code service} does on Kafka: its channels (incoming topic and group.id: read; outgoing
   * topic and dead-letter-queue.topic: write) and its own clients ({@link #OWN_CLIENTS}), with the
   * consumer groups resolved through {@code environment} (the variables its Deployment sets, which
   * override the defaults of its application.properties).
   *
   * @throws IllegalStateException when the service is not in {@link #OWN_CLIENTS}, or a channel
   *     leaves its topic or dead-letter topic to a default
   */
  static KafkaAccess of(String service, Map<String, String> environment) {
    OwnClients own = OWN_CLIENTS.get(service);
    if (own == null) {
      throw new IllegalStateException(
          "services/"
              + service
              + ": what its own Kafka clients read is not declared in KafkaAccess.OWN_CLIENTS"
              + " (deploy/README.md, \"Adding a service\")");
    }
    Map<String, String> properties = properties(service);
    Set<String> reads = new TreeSet<>(own.reads());
    Set<String> writes = new TreeSet<>(own.writes());
    Set<String> groups = new TreeSet<>();
    Map<String, Map<String, String>> channels = new TreeMap<>();
    properties.forEach(
        (key, value) -> {
          Matcher m = CHANNEL.matcher(key);
          if (m.matches()) {
            channels
                .computeIfAbsent(m.group(1) + " " + m.group(2), k -> new TreeMap<>())
                .put(m.group(3), resolve(value, environment));
          }
        });
    channels.forEach(
        (channel, settings) -> {
          if (!"smallrye-kafka".equals(settings.get("connector"))) {
            return;
          }
          String topic = settings.get("topic");
          if (topic == null) {
            throw new IllegalStateException(
                service + ": channel " + channel + " leaves its topic to the channel name");
          }
          if (channel.startsWith("incoming ")) {
            reads.add(topic);
            String group = settings.get("group.id");
            groups.add(group != null ? group : "alfer-" + service);
            if ("dead-letter-queue".equals(settings.get("failure-strategy"))) {
              String dlq = settings.get("dead-letter-queue.topic");
              if (dlq == null) {
                throw new IllegalStateException(
                    service
                        + ": channel "
                        + channel
                        + " leaves its dead-letter topic to a default");
              }
              writes.add(dlq);
            }
          } else {
            writes.add(topic);
          }
        });
    for (String property : own.groupProperties()) {
      String value = properties.get(property);
      if (value == null) {
        throw new IllegalStateException(service + " does not set " + property);
      }
      groups.add(resolve(value, environment));
    }
    // a prefixed grant covers every topic under it (e.g. a channel's default vendor topic)
    for (String prefix : own.prefixes()) {
      reads.removeIf(t -> t.startsWith(prefix));
      writes.removeIf(t -> t.startsWith(prefix));
    }
    return new KafkaAccess(reads, writes, groups, Set.copyOf(own.prefixes()));
  }

  /**
   * Every topic name the service's main sources refer to through {@link Topic}: {@code
   * Topic.IMAGES} is alfer.images, {@code Topic.IMAGES.dlqName()} alfer.images.dlq, {@code
   * CatalogRecords.TOPICS} alfer.datasets and alfer.images.
   */
  static Set<String> topicsNamedInCode(String service) {
    Set<String> named = new TreeSet<>();
    String sources = ServiceConfig.mainSources(service);
    if (sources.contains("CatalogRecords.TOPICS")) {
      // libs/core's list of the catalog topics a service follows
      CatalogRecords.TOPICS.forEach(t -> named.add(t.topicName()));
    }
    Matcher m = TOPIC_REFERENCE.matcher(sources);
    while (m.find()) {
      if (m.group(1).equals("DLQ_SUFFIX")) {
        continue;
      }
      Topic topic = Topic.valueOf(m.group(1));
      named.add(m.group(2) != null ? topic.dlqName() : topic.topicName());
    }
    return named;
  }

  /**
   * The topics the service's main sources name ({@link #topicsNamedInCode}) and, when they derive
   * dead-letter topic names ({@code Topic.DLQ_SUFFIX} or {@code ".dlq"}: a record of topic t goes
   * to t.dlq), the dead-letter topic of each: every topic its own clients may use.
   */
  static Set<String> topicsReachableInCode(String service) {
    Set<String> named = topicsNamedInCode(service);
    Set<String> reachable = new TreeSet<>(named);
    String sources = ServiceConfig.mainSources(service);
    if (sources.contains("Topic.DLQ_SUFFIX") || sources.contains("\".dlq\"")) {
      for (String topic : named) {
        if (!topic.endsWith(Topic.DLQ_SUFFIX)) {
          reachable.add(topic + Topic.DLQ_SUFFIX);
        }
      }
    }
    return reachable;
  }

  /** A Kafka client that a service builds itself rather than through a messaging channel. */
  private static final Pattern OWN_CLIENT =
      Pattern.compile(
          "\\bTopicFollower\\s*\\.\\s*start(Named)?\\s*\\(|\\bAdmin(Client)?\\s*\\.\\s*create\\s*\\("
              + "|\\bnew\\s+Kafka(Consumer|Producer)\\s*[<(]");

  /** The service's Kafka configuration, with the security settings (KafkaConnection's input). */
  private static final String KAFKA_CONFIG = "@Identifier(\"default-kafka-broker\")";

  /**
   * Why the Kafka clients that the module at {@code module} builds itself would not authenticate
   * like its channels, one message per place (file:line), empty when they do. On the cluster every
   * listener requires SCRAM: a client must take the security protocol, the mechanism and the JAAS
   * line (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG) with the bootstrap
   * servers, which only the service's Kafka configuration
   * ({@code @Identifier("default-kafka-broker") Map<String, Object>}) holds, through {@code
   * KafkaConnection.settings(kafkaConfig)} or {@code TopicFollower.start*(kafkaConfig, ...)}. So:
   * no main source takes {@code kafka.bootstrap.servers} alone, and a module that builds Kafka
   * clients injects that configuration.
   */
  static List<String> connectionProblems(Path module) {
    Path dir = module.resolve("src/main/java");
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return problems;
    }
    String how =
        "inject "
            + KAFKA_CONFIG
            + " Map<String, Object> kafkaConfig and connect with"
            + " KafkaConnection.settings(kafkaConfig) or TopicFollower.start*(kafkaConfig, ...)"
            + " (deploy/README.md, \"Adding a service\")";
    String where = module.getParent().getFileName() + "/" + module.getFileName() + "/";
    boolean buildsClients = false;
    boolean injectsConfig = false;
    String firstClient = null;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String file = where + module.relativize(f).toString().replace('\\', '/');
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.contains("\"kafka.bootstrap.servers\"")) {
            problems.add(
                file
                    + ":"
                    + (i + 1)
                    + " takes kafka.bootstrap.servers alone: a Kafka client built from it connects"
                    + " without the service's security settings, and the cluster's SCRAM listener"
                    + " refuses it; "
                    + how);
          }
          if (OWN_CLIENT.matcher(line).find()) {
            buildsClients = true;
            if (firstClient == null) {
              firstClient = file + ":" + (i + 1);
            }
          }
          if (line.contains(KAFKA_CONFIG)) {
            injectsConfig = true;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (buildsClients && !injectsConfig) {
      problems.add(
          firstClient
              + " builds a Kafka client, but the module never takes the service's Kafka"
              + " configuration, so that client has no credentials; "
              + how);
    }
    return problems;
  }

  /** Every topic the service touches. */
  Set<String> topics() {
    Set<String> all = new TreeSet<>(reads);
    all.addAll(writes);
    return all;
  }

  /**
   * The Kafka ACL grants this access needs, as "topic:NAME Operation", "group:NAME Operation" and
   * "topic-prefix:PREFIX Operation": Describe and Read on what it reads, Describe and Write on what
   * it writes, Read on its groups, all three on its topic prefixes.
   */
  Set<String> grants() {
    Set<String> grants = new TreeSet<>();
    for (String t : reads) {
      grants.add("topic:" + t + " Describe");
      grants.add("topic:" + t + " Read");
    }
    for (String t : writes) {
      grants.add("topic:" + t + " Describe");
      grants.add("topic:" + t + " Write");
    }
    for (String g : groups) {
      grants.add("group:" + g + " Read");
    }
    for (String p : prefixes) {
      grants.add("topic-prefix:" + p + " Describe");
      grants.add("topic-prefix:" + p + " Read");
      grants.add("topic-prefix:" + p + " Write");
    }
    return grants;
  }

  /** The service's application.properties as a map, profile lines other than %prod left out. */
  private static Map<String, String> properties(String service) {
    String text;
    try {
      text = Files.readString(ServiceConfig.properties(service));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> properties = new TreeMap<>();
    for (String line : text.split("\\R")) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
        continue;
      }
      String key = trimmed.substring(0, eq).strip();
      if (key.startsWith("%")) {
        if (!key.startsWith("%prod.")) {
          continue;
        }
        key = key.substring("%prod.".length());
      }
      properties.put(key, trimmed.substring(eq + 1).strip());
    }
    return properties;
  }

  /** A property value with ${NAME:default} resolved from {@code environment} or its default. */
  private static String resolve(String value, Map<String, String> environment) {
    Matcher m = Pattern.compile("^\\$\\{([A-Z0-9_]+)(?::([^}]*))?}$").matcher(value);
    if (!m.matches()) {
      return value;
    }
    String set = environment.get(m.group(1));
    if (set != null) {
      return set;
    }
    if (m.group(2) == null) {
      throw new IllegalStateException(value + " has no default and is not set");
    }
    return m.group(2);
  }

  private static Set<String> names(Topic... topics) {
    Set<String> names = new TreeSet<>();
    for (Topic t : topics) {
      names.add(t.topicName());
    }
    return names;
  }

  private static Set<String> dlqNames(Topic... topics) {
    Set<String> names = new TreeSet<>();
    for (Topic t : topics) {
      names.add(t.dlqName());
    }
    return names;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }
}
