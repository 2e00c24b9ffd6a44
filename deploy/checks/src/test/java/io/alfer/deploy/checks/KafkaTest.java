package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka as io.alfer.core.messaging.Topic says: a KafkaTopic for every topic and its dead-letter
 * topic with the right cleanup policy, replication the cluster can give, every client
 * authenticated, every vendor's topics there, and vendors limited to their own topics. (The
 * services' own ACLs: {@link KafkaAccessTest}.)
 */
class KafkaTest {
  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyTopicAndDeadLetterTopicHasAKafkaTopicWithItsCleanupPolicy(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Kafka kafka = theKafka(manifests);
    Map<String, KafkaTopic> byTopicName = new HashMap<>();
    for (KafkaTopic t : manifests.all(KafkaTopic.class)) {
      assertThat(byTopicName.put(topicName(t), t))
          .as("two KafkaTopics for %s", topicName(t))
          .isNull();
    }

    SoftAssertions soft = new SoftAssertions();
    Set<String> expected = new HashSet<>();
    for (Topic topic : Topic.values()) {
      expected.add(topic.topicName());
      expected.add(topic.dlqName());
      soft.assertThat(cleanupPolicy(byTopicName.get(topic.topicName())))
          .as("cleanup.policy of %s", topic.topicName())
          .isEqualTo(topic.compacted() ? "compact" : "delete");
      // A dead-letter topic keeps every failed record: never compacted away.
      soft.assertThat(cleanupPolicy(byTopicName.get(topic.dlqName())))
          .as("cleanup.policy of %s", topic.dlqName())
          .isEqualTo("delete");
    }
    // Every vendor with topics has all four, deleted by age, never compacted; and every vendor user
    // has its topics.
    Set<String> vendors = new TreeSet<>();
    byTopicName.values().stream()
        .map(t -> t.getMetadata().getLabels().get("alfer.io/vendor"))
        .filter(java.util.Objects::nonNull)
        .forEach(vendors::add);
    manifests.all(KafkaUser.class).stream()
        .map(u -> u.getMetadata().getLabels().get("alfer.io/vendor"))
        .filter(java.util.Objects::nonNull)
        .forEach(vendors::add);
    soft.assertThat(vendors).as("vendors with topics").contains("oracle", "acme-labels");
    for (String vendor : vendors) {
      for (String name : VendorTopics.all(vendor)) {
        expected.add(name);
        soft.assertThat(byTopicName.get(name))
            .as("KafkaTopic of vendor topic %s", name)
            .isNotNull();
        soft.assertThat(cleanupPolicy(byTopicName.get(name)))
            .as("cleanup.policy of %s", name)
            .isEqualTo("delete");
        if (byTopicName.get(name) != null) {
          soft.assertThat(byTopicName.get(name).getMetadata().getLabels())
              .as("%s belongs to its vendor", name)
              .containsEntry("alfer.io/vendor", vendor);
        }
      }
    }
    soft.assertThat(byTopicName.keySet())
        .as("KafkaTopics that are not a Topic of alfer or its .dlq, nor a vendor's")
        .isSubsetOf(expected);

    int brokers = brokers(manifests);
    int minIsr = intConfig(kafka.getSpec().getKafka().getConfig(), "min.insync.replicas", 1);
    for (KafkaTopic t : byTopicName.values()) {
      String name = topicName(t);
      soft.assertThat(t.getMetadata().getLabels())
          .as("%s belongs to the cluster", name)
          .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
      soft.assertThat(t.getSpec().getPartitions()).as("%s: partitions", name).isPositive();
      soft.assertThat(t.getSpec().getReplicas())
          .as("%s: replicas within the %d broker(s), at least min.insync.replicas", name, brokers)
          .isBetween(minIsr, brokers);
      soft.assertThat(t.getSpec().getConfig()).as("%s: config", name).isNotNull();
      if (t.getSpec().getConfig() != null && "delete".equals(cleanupPolicy(t))) {
        soft.assertThat(t.getSpec().getConfig())
            .as("%s: retention.ms", name)
            .containsKey("retention.ms");
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void theClusterIsKraftWithNodePoolsAndAuthorization(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Kafka kafka = theKafka(manifests);
    assertThat(kafka.getMetadata().getAnnotations())
        .containsEntry("strimzi.io/kraft", "enabled")
        .containsEntry("strimzi.io/node-pools", "enabled");
    assertThat(kafka.getSpec().getKafka().getAuthorization()).as("authorization").isNotNull();
    assertThat(kafka.getSpec().getKafka().getConfig())
        .containsEntry("auto.create.topics.enable", false);
    List<KafkaNodePool> pools = manifests.all(KafkaNodePool.class);
    assertThat(pools).isNotEmpty();
    assertThat(pools.stream().flatMap(p -> p.getSpec().getRoles().stream()))
        .contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
    for (KafkaNodePool pool : pools) {
      assertThat(pool.getMetadata().getLabels())
          .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
    }
    int brokers = brokers(manifests);
    Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
    for (String key :
        List.of(
            "default.replication.factor",
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor",
            "min.insync.replicas")) {
      assertThat(intConfig(config, key, 1))
          .as("%s with %d broker(s)", key, brokers)
          .isBetween(1, brokers);
    }
    // Every client authenticates and is held to its ACLs: no anonymous listener, no super user
    // (Strimzi's own operators are super users by Strimzi's doing, not ours).
    for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
      assertThat(listener.getAuth())
          .as("authentication of listener %s", listener.getName())
          .isNotNull();
      if (KafkaAccessTest.SERVICES_LISTENER.equals(listener.getName())) {
        assertThat(listener.getNetworkPolicyPeers())
            .as("the services' listener admits only labelled pods")
            .isNotEmpty();
      }
    }
    var authorization = kafka.getSpec().getKafka().getAuthorization();
    assertThat(authorization).isInstanceOf(KafkaAuthorizationSimple.class);
    assertThat(((KafkaAuthorizationSimple) authorization).getSuperUsers())
        .as("super users")
        .isNullOrEmpty();
    assertThat(kafka.getSpec().getKafka().getListeners())
        .anySatisfy(
            l -> {
              assertThat(l.getName()).isEqualTo("vendors");
              assertThat(l.isTls()).isTrue();
              assertThat(l.getAuth()).isNotNull();
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void vendorsMayOnlyUseTheirOwnTopics(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    List<KafkaUser> vendors =
        manifests.all(KafkaUser.class).stream()
            .filter(u -> u.getMetadata().getLabels().containsKey("alfer.io/vendor"))
            .toList();
    assertThat(vendors).extracting(u -> u.getMetadata().getName()).contains("acme-labels");
    for (KafkaUser vendor : vendors) {
      String name = vendor.getMetadata().getName();
      String tasks = VendorTopics.tasks(name);
      String results = VendorTopics.results(name);
      String refused = VendorTopics.refusedResults(name);
      assertThat(vendor.getMetadata().getLabels()).containsEntry("alfer.io/vendor", name);
      assertThat(vendor.getSpec().getAuthentication()).as("%s authenticates", name).isNotNull();
      assertThat(vendor.getSpec().getAuthorization())
          .isInstanceOf(KafkaUserAuthorizationSimple.class);
      List<AclRule> acls =
          ((KafkaUserAuthorizationSimple) vendor.getSpec().getAuthorization()).getAcls();
      Set<String> granted =
          acls.stream()
              .flatMap(
                  acl -> {
                    String resource = describe(acl);
                    List<AclOperation> ops =
                        acl.getOperations() != null
                            ? acl.getOperations()
                            : List.of(acl.getOperation());
                    return ops.stream().map(op -> resource + " " + op.toValue());
                  })
              .collect(Collectors.toSet());
      assertThat(granted)
          .as("ACLs of vendor %s", name)
          .containsExactlyInAnyOrder(
              "topic:" + tasks + " Read",
              "topic:" + tasks + " Describe",
              "group:" + name + " Read",
              "topic:" + results + " Write",
              "topic:" + results + " Describe",
              "topic:" + refused + " Read",
              "topic:" + refused + " Describe");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void strimziResourcesUseNoPropertyTheV1ApiDropped(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    for (var resource :
        manifests.all().stream()
            .filter(o -> o.getApiVersion().startsWith("kafka.strimzi.io/"))
            .toList()) {
      // That the apiVersion is v1 is checked when parsing: Manifests.KINDS admits only v1 (the
      // typed object reports the model's default version, not the manifest's).
      assertThat(StrimziV1.deprecatedPropertiesIn(resource))
          .as(
              "deprecated properties of %s %s",
              resource.getKind(), resource.getMetadata().getName())
          .isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void theDeprecatedSingleAclOperationIsFound() {
    KafkaUser user =
        (KafkaUser)
            Manifests.parse(
                    """
                    apiVersion: kafka.strimzi.io/v1
                    kind: KafkaUser
                    metadata:
                      name: old
                    spec:
                      authorization:
                        type: simple
                        acls:
                          - resource:
                              type: topic
                              name: alfer.vendor.acme.tasks
                            operation: Read
                    """)
                .all()
                .get(0);
    assertThat(StrimziV1.deprecatedPropertiesIn(user))
        .containsExactly("KafkaUser.spec.authorization.acls[0].operation");
  }

  private static String describe(AclRule acl) {
    if (acl.getResource() instanceof AclRuleTopicResource topic) {
      assertThat(topic.getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
      return "topic:" + topic.getName();
    }
    if (acl.getResource() instanceof AclRuleGroupResource group) {
      assertThat(group.getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
      return "group:" + group.getName();
    }
    return acl.getResource().getType() + ":?";
  }

  private static Kafka theKafka(Manifests manifests) {
    List<Kafka> all = manifests.all(Kafka.class);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static int brokers(Manifests manifests) {
    return manifests.all(KafkaNodePool.class).stream()
        .filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
        .mapToInt(p -> p.getSpec().getReplicas())
        .sum();
  }

  private static String topicName(KafkaTopic t) {
    return t.getSpec().getTopicName() != null
        ? t.getSpec().getTopicName()
        : t.getMetadata().getName();
  }

  private static String cleanupPolicy(KafkaTopic t) {
    if (t == null) {
      return "(no KafkaTopic)";
    }
    Map<String, Object> config = t.getSpec().getConfig();
    Object policy = config == null ? null : config.get("cleanup.policy");
    return policy == null ? "delete (default, not stated)" : policy.toString();
  }

  private static int intConfig(Map<String, Object> config, String key, int fallback) {
    Object value = config == null ? null : config.get(key);
    return value == null ? fallback : Integer.parseInt(value.toString());
  }
}
