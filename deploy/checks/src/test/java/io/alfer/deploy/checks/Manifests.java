package io.alfer.deploy.checks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of one rendered kustomization, each parsed into its typed model (fabric8 for
 * Kubernetes kinds, Strimzi's API model for Kafka resources, {@link Keda} for KEDA's, {@link
 * Monitoring} for the prometheus-operator's) by a mapper that rejects every field the model does
 * not know. Both model families keep unknown fields in an "additional properties" map instead of
 * failing; the mapper switches that off, so a misspelled or misplaced field (say {@code
 * readinesProbe}, or {@code partitions} under {@code config}) fails the check.
 */
final class Manifests {
  /** Every kind the deployment may contain, by apiVersion and kind. Add a model for a new kind. */
  static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
          Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
          Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
          Map.entry(Keda.API_VERSION + "/ScaledObject", Keda.ScaledObject.class),
          Map.entry(Keda.API_VERSION + "/TriggerAuthentication", Keda.TriggerAuthentication.class),
          Map.entry(Monitoring.API_VERSION + "/PodMonitor", Monitoring.PodMonitor.class),
          Map.entry(Monitoring.API_VERSION + "/ServiceMonitor", Monitoring.ServiceMonitor.class),
          Map.entry(Monitoring.API_VERSION + "/PrometheusRule", Monitoring.PrometheusRule.class));

  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  /** Rejects unknown fields even where the model would keep them. */
  static final ObjectMapper STRICT =
      new ObjectMapper()
          .setAnnotationIntrospector(new StrictIntrospector())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final List<HasMetadata> objects;

  private Manifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  /** Parses a multi-document YAML stream; fails on an unknown kind or an unknown field. */
  static Manifests parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (var it = YAML.readValues(YAML.createParser(yaml), JsonNode.class)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        objects.add(typed(node));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Manifests(objects);
  }

  /** One object as its typed model. */
  static HasMetadata typed(JsonNode node) {
    String key = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
    String name = node.path("metadata").path("name").asText();
    Class<? extends HasMetadata> type = KINDS.get(key);
    if (type == null) {
      throw new AssertionError(
          "no model for " + key + " (" + name + "): add one to Manifests.KINDS, typed or checked");
    }
    try {
      return STRICT.treeToValue(node, type);
    } catch (IOException e) {
      throw new AssertionError(
          key + " " + name + " does not match its model: " + e.getMessage(), e);
    }
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  /** Turns off "any setters" (the additional-properties maps) and "ignore unknown". */
  private static final class StrictIntrospector extends JacksonAnnotationIntrospector {
    @Override
    public Boolean hasAnySetter(Annotated a) {
      return Boolean.FALSE;
    }

    @Override
    public JsonIgnoreProperties.Value findPropertyIgnoralByName(
        MapperConfig<?> config, Annotated a) {
      JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
      return value == null ? null : value.withoutIgnoreUnknown();
    }
  }
}
