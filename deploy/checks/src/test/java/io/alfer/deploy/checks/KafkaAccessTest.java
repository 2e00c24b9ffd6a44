package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege on Kafka: every alfer service authenticates as its own KafkaUser (alfer-NAME) on
 * the "services" listener, and that user's ACLs are exactly what the service reads and writes,
 * derived from its code and configuration ({@link KafkaAccess}). A service that starts using a
 * topic fails here until its KafkaUser allows it; one that stops fails until the grant goes.
 */
class KafkaAccessTest {
  /** The listener the services connect to (base/kafka/kafka.yaml). */
  static final String SERVICES_LISTENER = "services";

  /**
   * Topics a service rebuilds its state from at every start must outlive a campaign, or a restart
   * loses what they held (label's and select's adr/0001): 90 days, unless compacted.
   */
  static final Duration STATE_RETENTION = Duration.ofDays(90);

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyServiceMayDoExactlyWhatItDoesOnKafka(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(manifests).services()) {
      String service = w.serviceName();
      String user = "alfer-" + service;
      var kafkaUser = manifests.find(KafkaUser.class, user);
      soft.assertThat(kafkaUser)
          .as("%s: KafkaUser %s (base/kafka/users/%s.yaml)", w.id(), user, user)
          .isPresent();
      if (kafkaUser.isEmpty()) {
        continue;
      }
      KafkaAccess access = KafkaAccess.of(service, w.environment(manifests));
      soft.assertThat(grants(kafkaUser.get()))
          .as(
              "ACLs of %s: what %s reads (%s) and writes (%s), groups %s",
              user, service, access.reads(), access.writes(), access.groups())
          .containsExactlyInAnyOrderElementsOf(access.grants());
      soft.assertThat(kafkaUser.get().getMetadata().getLabels())
          .as("labels of %s", user)
          .containsEntry("alfer.io/service", service)
          .doesNotContainKey("alfer.io/vendor");
      var jaas = w.secretRef("KAFKA_SASL_JAAS_CONFIG");
      soft.assertThat(jaas == null ? null : jaas.getName() + "/" + jaas.getKey())
          .as("%s authenticates as %s (KAFKA_SASL_JAAS_CONFIG from Strimzi's Secret)", w.id(), user)
          .isEqualTo(user + "/sasl.jaas.config");
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void theServicesConnectToTheirAuthenticatedListener(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Kafka kafka = manifests.all(Kafka.class).get(0);
    GenericKafkaListener listener =
        kafka.getSpec().getKafka().getListeners().stream()
            .filter(l -> l.getName().equals(SERVICES_LISTENER))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no listener " + SERVICES_LISTENER));
    assertThat(listener.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
    String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort();
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(manifests).services()) {
      Map<String, String> env = w.environment(manifests);
      soft.assertThat(env)
          .as("%s: Kafka settings", w.id())
          .containsEntry("ALFER_KAFKA_BOOTSTRAP", bootstrap)
          .containsEntry(
              "KAFKA_SECURITY_PROTOCOL", listener.isTls() ? "SASL_SSL" : "SASL_PLAINTEXT")
          .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyKafkaUserIsAServiceAVendorOrAnAutoscaler(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Set<String> services = new TreeSet<>();
    Workloads.of(manifests).services().forEach(w -> services.add(w.serviceName()));
    for (KafkaUser user : manifests.all(KafkaUser.class)) {
      Map<String, String> labels = user.getMetadata().getLabels();
      String name = user.getMetadata().getName();
      assertThat(
              labels.containsKey("alfer.io/service")
                  || labels.containsKey("alfer.io/vendor")
                  || labels.containsKey("alfer.io/autoscaler"))
          .as(
              "KafkaUser %s is labelled alfer.io/service, alfer.io/vendor or alfer.io/autoscaler",
              name)
          .isTrue();
      if (labels.containsKey("alfer.io/service")) {
        assertThat(services)
            .as("KafkaUser %s is for a deployed service", name)
            .contains(labels.get("alfer.io/service"));
      }
    }
  }

  @Test
  void ownClientsAgreeWithTheTopicsTheCodeNames() {
    SoftAssertions soft = new SoftAssertions();
    for (var entry : KafkaAccess.OWN_CLIENTS.entrySet()) {
      String service = entry.getKey();
      Set<String> named = KafkaAccess.topicsNamedInCode(service);
      Set<String> reachable = KafkaAccess.topicsReachableInCode(service);
      soft.assertThat(reachable)
          .as(
              "%s: topics its own clients read (KafkaAccess.OWN_CLIENTS) are named in its code, or"
                  + " are the dead-letter topic of one it names",
              service)
          .containsAll(entry.getValue().reads());
      soft.assertThat(reachable)
          .as(
              "%s: topics it writes by a per-record choice (KafkaAccess.OWN_CLIENTS) are named in"
                  + " its code, or are the dead-letter topic of one it names",
              service)
          .containsAll(entry.getValue().writes());
      KafkaAccess access = KafkaAccess.of(service, Map.of());
      soft.assertThat(access.topics())
          .as(
              "%s: every topic its code names is read or written by a channel or its own clients"
                  + " (KafkaAccess.OWN_CLIENTS)",
              service)
          .containsAll(named);
    }
    soft.assertAll();
  }

  @Test
  void everyServicesOwnKafkaClientsAuthenticateLikeItsChannels() {
    SoftAssertions soft = new SoftAssertions();
    for (String service : Services.modules(Repo.root())) {
      soft.assertThat(KafkaAccess.connectionProblems(Repo.service(service)))
          .as("%s: its own Kafka clients connect with its Kafka configuration", service)
          .isEmpty();
    }
    // the service kit builds clients for every service (the readiness check's admin client)
    soft.assertThat(KafkaAccess.connectionProblems(Repo.root().resolve("libs/service-kit")))
        .as("libs/service-kit: its Kafka clients connect with the service's Kafka configuration")
        .isEmpty();
    soft.assertAll();
  }

  @Test
  void aClientOnTheBootstrapServersAloneIsFoundWhereItIs(@TempDir Path root) throws IOException {
    Path alone = root.resolve("services/alone");
    write(
        alone.resolve("src/main/java/a/State.java"),
        """
        package a;
        class State {
          State(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
            TopicFollower.startNamed(bootstrap, List.of("t"), r -> {});
          }
        }
        """);
    assertThat(KafkaAccess.connectionProblems(alone))
        .hasSize(2)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("services/alone/src/main/java/a/State.java:3 takes")
                    .contains("KafkaConnection.settings(kafkaConfig)"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "services/alone/src/main/java/a/State.java:4 builds a Kafka client"));

    Path right = root.resolve("services/right");
    write(
        right.resolve("src/main/java/a/State.java"),
        """
        package a;
        class State {
          State(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
            admin = AdminClient.create(KafkaConnection.settings(kafkaConfig));
            TopicFollower.startNamed(kafkaConfig, List.of("t"), r -> {});
          }
        }
        """);
    assertThat(KafkaAccess.connectionProblems(right)).isEmpty();
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void derivesReadsWritesAndGroupsFromTheChannels() {
    KafkaAccess trainer = KafkaAccess.of("trainer", Map.of());
    assertThat(trainer.reads())
        .containsExactlyInAnyOrder("alfer.training.requests", "alfer.datasets", "alfer.images");
    assertThat(trainer.writes())
        .containsExactlyInAnyOrder(
            "alfer.training.progress", "alfer.models", "alfer.training.requests.dlq");
    assertThat(trainer.groups()).containsExactly("alfer-trainer");
    // embed's group comes from its configuration, as its Deployment sets it.
    assertThat(
            KafkaAccess.of(
                    "embed",
                    Map.of("ALFER_EMBED_CONSUMER_GROUP", "g1", "ALFER_EMBED_WORK_GROUP", "g2"))
                .groups())
        .containsExactlyInAnyOrder("g1", "g2");
    assertThat(KafkaAccess.of("embed", Map.of()).groups())
        .containsExactlyInAnyOrder("alfer-embed", "alfer-embed-work");
    // select's dead letters go to the .dlq of the input they came from, the topic chosen per
    // record by one channel; it reads without a consumer group.
    KafkaAccess select = KafkaAccess.of("select", Map.of());
    assertThat(select.writes())
        .contains(
            "alfer.campaigns",
            "alfer.selections",
            "alfer.training.requests",
            "alfer.images.dlq",
            "alfer.training.progress.dlq")
        .doesNotContain("alfer.images", "alfer.selections.dlq");
    assertThat(select.reads()).contains("alfer.selections.dlq", "alfer.labels.dlq");
    assertThat(select.groups()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void whatTheServicesRebuildTheirStateFromOutlivesACampaign(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (var entry : KafkaAccess.OWN_CLIENTS.entrySet()) {
      for (String topic : entry.getValue().reads()) {
        KafkaTopic t =
            manifests.all(KafkaTopic.class).stream()
                .filter(k -> topic.equals(k.getSpec().getTopicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic for " + topic));
        Map<String, Object> config = t.getSpec().getConfig();
        if ("compact".equals(config.get("cleanup.policy"))) {
          continue;
        }
        long retention = Long.parseLong(String.valueOf(config.get("retention.ms")));
        soft.assertThat(retention == -1 || retention >= STATE_RETENTION.toMillis())
            .as(
                "retention.ms of %s (%d): %s replays it at every start, so it must keep %d days",
                topic, retention, entry.getKey(), STATE_RETENTION.toDays())
            .isTrue();
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyVendorIsRegisteredWithTheLabelService(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Workload label = Workloads.of(manifests).service("label").orElseThrow();
    String registry =
        label.template().getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null)
            .map(v -> manifests.find(ConfigMap.class, v.getConfigMap().getName()).orElseThrow())
            .map(cm -> cm.getData().getOrDefault("application.properties", ""))
            .reduce("", String::concat);
    Set<String> keys = ServiceConfig.propertyKeys(registry);
    for (KafkaUser user : manifests.all(KafkaUser.class)) {
      String vendor = user.getMetadata().getLabels().get("alfer.io/vendor");
      if (vendor != null) {
        assertThat(keys)
            .as(
                "vendor %s has a KafkaUser, so label must know it: alfer.label.vendors.%s.* in"
                    + " base/services/label/vendors.properties",
                vendor, vendor)
            .anyMatch(k -> k.startsWith("alfer.label.vendors." + vendor + "."));
      }
    }
  }

  /** Every grant of a user, as "topic:NAME Operation" / "group:NAME Operation". */
  static Set<String> grants(KafkaUser user) {
    Set<String> grants = new TreeSet<>();
    if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
      throw new AssertionError("KafkaUser " + user.getMetadata().getName() + ": no simple ACLs");
    }
    for (AclRule acl : simple.getAcls()) {
      String resource;
      if (acl.getResource() instanceof AclRuleTopicResource topic) {
        resource =
            (topic.getPatternType() == AclResourcePatternType.PREFIX ? "topic-prefix:" : "topic:")
                + topic.getName();
      } else if (acl.getResource() instanceof AclRuleGroupResource group) {
        assertThat(group.getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
        resource = "group:" + group.getName();
      } else {
        resource = acl.getResource().getType() + ":?";
      }
      for (AclOperation op : acl.getOperations()) {
        grants.add(resource + " " + op.toValue());
      }
    }
    return grants;
  }
}
