package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.core.messaging.TopicSetup;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.deploy.checks.Workloads.Workload;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KafkaUsers' grants work on a real broker, as the services use Kafka: a KRaft broker with
 * SCRAM-SHA-512 and the standard authorizer gets every alfer topic, each rendered KafkaUser's
 * credentials and exactly its ACLs (what Strimzi's User Operator does), and then, as each service:
 * a TopicFollower (through {@link KafkaConnection}, as the services build it) replays what the
 * service reads, a producer writes what it writes, a consumer commits in its groups, an admin lists
 * offsets; and a write the service has no grant for is refused. The vendor and KEDA get the same
 * treatment.
 */
class KafkaAclsOnABrokerTest {
  private static final String ADMIN = "plain-admin";
  private static final String ADMIN_PASSWORD = "plain-admin-secret";

  private static KafkaClusterTestKit cluster;
  private static String bootstrap;
  private static final Map<String, String> passwords = new HashMap<>();
  private static Manifests prod;

  @BeforeAll
  static void startABrokerWithTheUsersOfProd() throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .build();
    cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
            .setConfigProp(
                "listener.name.external.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    bootstrap = cluster.bootstrapServers();

    prod = Kustomize.overlay("prod");
    try (Admin admin = Admin.create(admin())) {
      admin.createTopics(TopicSetup.newTopics(1)).all().get(60, TimeUnit.SECONDS);
      admin
          .createTopics(vendorTopics().stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
          .all()
          .get(60, TimeUnit.SECONDS);
      List<UserScramCredentialAlteration> credentials = new ArrayList<>();
      List<AclBinding> acls = new ArrayList<>();
      for (KafkaUser user : prod.all(KafkaUser.class)) {
        String name = user.getMetadata().getName();
        String password = UUID.randomUUID().toString();
        passwords.put(name, password);
        credentials.add(
            new UserScramCredentialUpsertion(
                name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
        for (AclRule rule :
            ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
          acls.addAll(bindings(name, rule));
        }
      }
      admin.alterUserScramCredentials(credentials).all().get(60, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
    }
    // A record in every topic, so that a replay has to fetch (an empty topic is caught up at once).
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(admin(), new ByteArraySerializer(), new ByteArraySerializer())) {
      List<String> topics = new ArrayList<>(TopicSetup.names());
      topics.addAll(vendorTopics());
      for (String topic : topics) {
        producer
            .send(new ProducerRecord<>(topic, new byte[] {0}, new byte[] {0}))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyServiceDoesWhatItDoesAndNoMore() throws Exception {
    List<Workload> services = Workloads.of(prod).services();
    assertThat(services).isNotEmpty();
    for (Workload w : services) {
      String service = w.serviceName();
      KafkaAccess access = KafkaAccess.of(service, w.environment(prod));
      Map<String, Object> config = config("alfer-" + service);

      // What it replays, with its own clients' connection (TopicFollower, no group): every
      // topic holds a record, so the replay fetches.
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (TopicFollower follower =
          TopicFollower.startNamed(config, List.copyOf(access.reads()), r -> seen.add(r.topic()))) {
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60)))
            .as("%s replays %s", service, access.reads())
            .isTrue();
      }
      assertThat(seen).as("%s read a record of each", service).containsAll(access.reads());
      // What it writes (an idempotent producer, Kafka's default, as the channels use).
      try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
        for (String topic : access.writes()) {
          producer
              .send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {1}))
              .get(30, TimeUnit.SECONDS);
        }
      }
      // Its consumer groups: join on a topic it reads, commit.
      for (String group : access.groups()) {
        String topic = access.reads().iterator().next();
        commitIn(config, group, topic);
      }
      // Its admin client (readiness, trainer's catalog sync): the cluster, end offsets.
      try (Admin admin = Admin.create(props(config))) {
        admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        access.reads().forEach(t -> latest.put(new TopicPartition(t, 0), OffsetSpec.latest()));
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      }
      // And nothing more: a topic it does not write.
      String notWritten =
          TopicSetup.names().stream()
              .filter(t -> !access.writes().contains(t))
              .findFirst()
              .orElseThrow();
      assertRefused(() -> write(config, notWritten), service + " writing " + notWritten);
    }
  }

  /**
   * Vendor isolation (contract v2): acme-labels reads its tasks in its group, writes its results
   * and reads its refused results — and can neither read the oracle vendor's tasks nor write the
   * oracle's results, nor write its own task topic (the label service rebuilds its state from it).
   */
  @Test
  void aVendorUsesItsOwnTopicsAndNoOtherVendors() throws Exception {
    Map<String, Object> acme = config("acme-labels");
    String me = "acme-labels";
    String other = "oracle";
    commitIn(acme, me, VendorTopics.tasks(me));
    write(acme, VendorTopics.results(me));
    commitIn(acme, me, VendorTopics.refusedResults(me));
    assertRefused(
        () -> commitIn(acme, me, VendorTopics.tasks(other)), "vendor reading another's tasks");
    assertRefused(
        () -> write(acme, VendorTopics.results(other)), "vendor writing another's results");
    assertRefused(() -> write(acme, VendorTopics.tasks(me)), "vendor writing its own task topic");
    assertRefused(() -> write(acme, "alfer.labels"), "vendor writing alfer.labels");
    assertRefused(() -> commitIn(acme, me, "alfer.images"), "vendor reading alfer.images");
    assertRefused(
        () -> commitIn(acme, "alfer-oracle", VendorTopics.tasks(me)), "vendor in another group");

    // the label service reaches every vendor's topics through its one prefixed grant
    Map<String, Object> label = config("alfer-label");
    for (String vendor : List.of(me, other)) {
      write(label, VendorTopics.tasks(vendor));
      write(label, VendorTopics.refusedResults(vendor));
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (TopicFollower follower =
          TopicFollower.startNamed(
              label, List.of(VendorTopics.results(vendor)), r -> seen.add(r.topic()))) {
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      }
      assertThat(seen).as("label read %s", VendorTopics.results(vendor)).isNotEmpty();
    }
  }

  /** The vendor topics of the prod manifests (base/kafka/vendors), as Strimzi creates them. */
  private static List<String> vendorTopics() {
    return prod.all(KafkaTopic.class).stream()
        .map(t -> t.getSpec().getTopicName())
        .filter(t -> t.startsWith(VendorTopics.PREFIX))
        .sorted()
        .toList();
  }

  @Test
  void kedaReadsTheLagOfEmbedsWorkGroupOnly() throws Exception {
    Map<String, Object> config = config("alfer-keda");
    try (Admin admin = Admin.create(props(config))) {
      admin
          .listOffsets(Map.of(new TopicPartition("alfer.embed.work", 0), OffsetSpec.latest()))
          .all()
          .get(30, TimeUnit.SECONDS);
      admin
          .listConsumerGroupOffsets("alfer-embed-work")
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS);
    }
    assertRefused(
        () -> commitIn(config, "alfer-embed-work", "alfer.embed.work"),
        "KEDA consuming alfer.embed.work");
    assertRefused(
        () -> commitIn(config, "alfer-embed", "alfer.images"), "KEDA consuming alfer.images");
  }

  private static void commitIn(Map<String, Object> config, String group, String topic) {
    Properties p = props(config);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      await("an assignment in group " + group + " on " + topic)
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread() // the consumer is not thread-safe
          .pollInterval(Duration.ZERO) // the consumer's poll waits itself
          .until(
              () -> {
                if (c.assignment().isEmpty()) {
                  c.poll(Duration.ofMillis(200));
                }
                return !c.assignment().isEmpty();
              });
      c.commitSync(Duration.ofSeconds(30));
    }
  }

  private static void write(Map<String, Object> config, String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(config)) {
      producer
          .send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {1}))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> config) {
    Properties p = props(config);
    p.put("max.block.ms", "20000");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  interface Action {
    void run() throws Exception;
  }

  /**
   * Asserts that the broker refused an action. The refusal may come wrapped: a producer whose
   * producer-id request was refused before its first send fails that send with "in an error state",
   * caused by the refusal.
   */
  private static void assertRefused(Action action, String what) {
    assertThatThrownBy(action::run)
        .as(what)
        .satisfies(
            e -> {
              Throwable t = e;
              while (t != null && !(t instanceof AuthorizationException)) {
                t = t.getCause();
              }
              assertThat(t)
                  .as(what + ": an authorization refusal among the causes of " + e)
                  .isNotNull();
            });
  }

  /** A service's Kafka configuration as Quarkus builds it from alfer-kafka and its Secret. */
  private static Map<String, Object> config(String user) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + passwords.get(user)
            + "\";");
    // What Quarkus adds and KafkaConnection must leave out of a client that chose its own.
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "alfer-" + user);
    return config;
  }

  private static Properties props(Map<String, Object> config) {
    return KafkaConnection.settings(config);
  }

  private static Properties admin() {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    p.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + ADMIN
            + "\" password=\""
            + ADMIN_PASSWORD
            + "\";");
    return p;
  }

  /** The Kafka ACLs Strimzi's User Operator makes for one rule of a KafkaUser. */
  private static List<AclBinding> bindings(String user, AclRule rule) {
    ResourcePattern pattern;
    if (rule.getResource() instanceof AclRuleTopicResource topic) {
      pattern =
          new ResourcePattern(
              ResourceType.TOPIC,
              topic.getName(),
              topic.getPatternType() == AclResourcePatternType.PREFIX
                  ? PatternType.PREFIXED
                  : PatternType.LITERAL);
    } else if (rule.getResource() instanceof AclRuleGroupResource group) {
      pattern = new ResourcePattern(ResourceType.GROUP, group.getName(), PatternType.LITERAL);
    } else {
      throw new AssertionError("KafkaUser " + user + ": a rule on " + rule.getResource().getType());
    }
    List<AclBinding> bindings = new ArrayList<>();
    for (var op : rule.getOperations()) {
      bindings.add(
          new AclBinding(
              pattern,
              new AccessControlEntry(
                  "User:" + user,
                  "*",
                  AclOperation.fromString(op.toValue().toUpperCase(Locale.ROOT)),
                  AclPermissionType.ALLOW)));
    }
    return bindings;
  }
}
