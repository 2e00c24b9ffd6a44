package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.core.messaging.Topic;
import io.alfer.deploy.checks.Keda.ScaledObject;
import io.alfer.deploy.checks.Keda.TargetRef;
import io.alfer.deploy.checks.Keda.Trigger;
import io.alfer.deploy.checks.Keda.TriggerAuthentication;
import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * embed scales on the consumer lag of its work group on alfer.embed.work (overlays/prod): the
 * ScaledObject parses into {@link Keda}'s model, names what embed really consumes (its group from
 * its configuration, the topic, the listener and its authentication), stays within the topic's
 * partitions and above the disruption budget, and KEDA's KafkaUser may only describe that topic and
 * group.
 */
class KedaTest {
  private final Manifests prod = Kustomize.overlay("prod");

  @Test
  void embedScalesOnTheLagOfItsWorkGroupOnAlferEmbedWork() {
    ScaledObject so = theScaledObjectOf("embed");
    assertThat(so.spec().scaleTargetRef().kind()).isEqualTo("Deployment");
    assertThat(so.spec().scaleTargetRef().name()).isEqualTo("embed");
    assertThat(prod.find(Deployment.class, "embed")).isPresent();
    assertThat(so.spec().triggers()).hasSize(1);
    Trigger trigger = so.spec().triggers().get(0);
    assertThat(trigger.type()).isEqualTo("kafka");
    assertThat(Keda.KAFKA_METADATA)
        .as("kafka trigger parameters (credentials belong in the TriggerAuthentication)")
        .containsAll(trigger.metadata().keySet());
    for (Map.Entry<String, JsonNode> e : trigger.metadata().entrySet()) {
      assertThat(e.getValue().isTextual())
          .as("trigger metadata %s is a string (KEDA's metadata is a map of strings)", e.getKey())
          .isTrue();
    }
    Map<String, String> meta = text(trigger.metadata());

    Workload embed = Workloads.of(prod).service("embed").orElseThrow();
    Map<String, String> env = embed.environment(prod);
    assertThat(KafkaAccess.of("embed", env).groups()).contains(meta.get("consumerGroup"));
    assertThat(meta)
        .containsEntry("consumerGroup", env.get("ALFER_EMBED_WORK_GROUP"))
        .containsEntry("topic", Topic.EMBED_WORK.topicName())
        .containsEntry("bootstrapServers", env.get("ALFER_KAFKA_BOOTSTRAP"));
    assertThat(Integer.parseInt(meta.get("lagThreshold"))).isPositive();

    GenericKafkaListener listener = listenerOf(meta.get("bootstrapServers"));
    assertThat(meta.get("sasl")).isEqualTo("scram_sha512");
    assertThat(meta.get("tls")).isEqualTo(listener.isTls() ? "enable" : "disable");

    int partitions =
        prod.all(KafkaTopic.class).stream()
            .filter(t -> Topic.EMBED_WORK.topicName().equals(t.getSpec().getTopicName()))
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getPartitions();
    assertThat(so.spec().maxReplicaCount())
        .as("replicas beyond the partitions of alfer.embed.work would get no item")
        .isBetween(so.spec().minReplicaCount(), partitions);
    PodDisruptionBudget pdb = prod.find(PodDisruptionBudget.class, "embed").orElseThrow();
    assertThat(so.spec().minReplicaCount())
        .as("at least one more replica than the disruption budget keeps")
        .isGreaterThan(pdb.getSpec().getMinAvailable().getIntVal());

    assertThat(prod.all(HorizontalPodAutoscaler.class))
        .as("KEDA owns embed's replicas: no other HPA targets it")
        .noneMatch(h -> "embed".equals(h.getSpec().getScaleTargetRef().getName()));
  }

  @Test
  void kedaAuthenticatesAsItsOwnUserThatMayOnlyDescribeTheTopicAndTheGroup() {
    Trigger trigger = theScaledObjectOf("embed").spec().triggers().get(0);
    TriggerAuthentication auth =
        prod.find(TriggerAuthentication.class, trigger.authenticationRef().name()).orElseThrow();
    Map<String, TargetRef> params = new java.util.HashMap<>();
    for (List<TargetRef> refs :
        List.of(
            nullToEmpty(auth.spec().secretTargetRef()),
            nullToEmpty(auth.spec().configMapTargetRef()))) {
      refs.forEach(r -> params.put(r.parameter(), r));
    }
    assertThat(params).containsOnlyKeys("username", "password");
    assertThat(auth.spec().secretTargetRef())
        .as("the password is a Secret's")
        .extracting(TargetRef::parameter)
        .containsExactly("password");

    TargetRef username = params.get("username");
    String user =
        prod.find(ConfigMap.class, username.name()).orElseThrow().getData().get(username.key());
    KafkaUser kafkaUser = prod.find(KafkaUser.class, user).orElseThrow();
    assertThat(kafkaUser.getMetadata().getLabels()).containsEntry("alfer.io/autoscaler", "embed");
    TargetRef password = params.get("password");
    assertThat(ServiceConfigTest.secretKeys(prod, password.name()))
        .as("Secret %s (Strimzi's, of KafkaUser %s)", password.name(), user)
        .contains(password.key());
    assertThat(password.name()).isEqualTo(user);

    Map<String, String> meta = text(trigger.metadata());
    assertThat(KafkaAccessTest.grants(kafkaUser))
        .containsExactlyInAnyOrder(
            "topic:" + meta.get("topic") + " Describe",
            "group:" + meta.get("consumerGroup") + " Describe");

    // KEDA's operator may reach the listener (Strimzi's network policy for it).
    GenericKafkaListener listener = listenerOf(meta.get("bootstrapServers"));
    assertThat(listener.getNetworkPolicyPeers())
        .as("peers of listener %s", listener.getName())
        .anyMatch(
            peer ->
                peer.getNamespaceSelector() != null
                    && peer.getPodSelector() != null
                    && "keda"
                        .equals(
                            peer.getNamespaceSelector()
                                .getMatchLabels()
                                .get("kubernetes.io/metadata.name"))
                    && "keda-operator".equals(peer.getPodSelector().getMatchLabels().get("app")));
  }

  @Test
  void onlyProdAutoscalesWithKeda() {
    for (String overlay : List.of("local", "gpu")) {
      assertThat(Kustomize.overlay(overlay).all(ScaledObject.class)).as(overlay).isEmpty();
    }
  }

  private ScaledObject theScaledObjectOf(String deployment) {
    List<ScaledObject> all =
        prod.all(ScaledObject.class).stream()
            .filter(s -> deployment.equals(s.spec().scaleTargetRef().name()))
            .toList();
    assertThat(all).as("ScaledObjects of %s in prod", deployment).hasSize(1);
    return all.get(0);
  }

  private GenericKafkaListener listenerOf(String bootstrap) {
    Kafka kafka = prod.all(Kafka.class).get(0);
    int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    assertThat(bootstrap).startsWith(kafka.getMetadata().getName() + "-kafka-bootstrap:");
    return kafka.getSpec().getKafka().getListeners().stream()
        .filter(l -> l.getPort() == port)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no listener on port " + port));
  }

  private static Map<String, String> text(Map<String, JsonNode> metadata) {
    Map<String, String> text = new java.util.TreeMap<>();
    metadata.forEach((k, v) -> text.put(k, v.asText()));
    return text;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
