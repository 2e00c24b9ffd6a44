package io.alfer.deploy.checks;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/**
 * Typed models of the KEDA resources alfer uses (keda.sh/v1alpha1), for the strict parser of {@link
 * Manifests}: the fields of KEDA's CRDs that a ScaledObject with a kafka trigger and its
 * TriggerAuthentication use. A field that is not here (a misspelling, or one of KEDA's that alfer
 * does not use yet) fails the parse; add it here when it is needed. Trigger metadata is KEDA's map
 * of strings: its values must be YAML strings ({@link KedaTest} checks).
 */
final class Keda {
  static final String API_VERSION = "keda.sh/v1alpha1";

  private Keda() {}

  /** A ScaledObject: KEDA scales {@code scaleTargetRef} on {@code triggers} through an HPA. */
  // HasMetadata carries fabric8's deserializer, which picks a class by kind: use this record's own.
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec)
      implements HasMetadata {
    @Override
    public ObjectMeta getMetadata() {
      return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
      throw new UnsupportedOperationException("read-only model");
    }

    @Override
    public String getKind() {
      return kind;
    }

    @Override
    public String getApiVersion() {
      return apiVersion;
    }

    @Override
    public void setApiVersion(String version) {
      throw new UnsupportedOperationException("read-only model");
    }
  }

  record ScaledObjectSpec(
      ScaleTargetRef scaleTargetRef,
      Integer pollingInterval,
      Integer cooldownPeriod,
      Integer initialCooldownPeriod,
      Integer idleReplicaCount,
      Integer minReplicaCount,
      Integer maxReplicaCount,
      Fallback fallback,
      Advanced advanced,
      List<Trigger> triggers) {}

  record ScaleTargetRef(
      String apiVersion, String kind, String name, String envSourceContainerName) {}

  record Fallback(Integer failureThreshold, Integer replicas) {}

  record Advanced(Boolean restoreToOriginalReplicaCount, HpaConfig horizontalPodAutoscalerConfig) {}

  record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

  record Trigger(
      String type,
      String name,
      String metricType,
      Boolean useCachedMetrics,
      Map<String, JsonNode> metadata,
      AuthenticationRef authenticationRef) {}

  record AuthenticationRef(String name, String kind) {}

  /** A TriggerAuthentication: where a trigger's credentials come from. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record TriggerAuthentication(
      String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec)
      implements HasMetadata {
    @Override
    public ObjectMeta getMetadata() {
      return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
      throw new UnsupportedOperationException("read-only model");
    }

    @Override
    public String getKind() {
      return kind;
    }

    @Override
    public String getApiVersion() {
      return apiVersion;
    }

    @Override
    public void setApiVersion(String version) {
      throw new UnsupportedOperationException("read-only model");
    }
  }

  record TriggerAuthenticationSpec(
      List<TargetRef> secretTargetRef, List<TargetRef> configMapTargetRef, List<EnvRef> env) {}

  /** A trigger parameter from a key of a Secret or ConfigMap of the namespace. */
  record TargetRef(String parameter, String name, String key) {}

  /** A trigger parameter from an environment variable of the scale target's container. */
  record EnvRef(String parameter, String name, String containerName) {}

  /**
   * The parameters of KEDA's kafka scaler (keda.sh, "Apache Kafka" scaler, 2.15 and later) that may
   * be in a trigger's metadata; credentials (username, password, certificates) may not: they come
   * from a TriggerAuthentication.
   */
  static final List<String> KAFKA_METADATA =
      List.of(
          "bootstrapServers",
          "consumerGroup",
          "topic",
          "lagThreshold",
          "activationLagThreshold",
          "offsetResetPolicy",
          "allowIdleConsumers",
          "scaleToZeroOnInvalidOffset",
          "excludePersistentLag",
          "limitToPartitionsWithLag",
          "version",
          "partitionLimitation",
          "sasl",
          "tls",
          "unsafeSsl");
}
