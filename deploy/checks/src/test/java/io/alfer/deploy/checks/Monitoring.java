package io.alfer.deploy.checks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;
import java.util.Map;

/**
 * Typed models of the prometheus-operator resources alfer uses (monitoring.coreos.com/v1), for the
 * strict parser of {@link Manifests}: the fields of the operator's CRDs that alfer's PodMonitors,
 * ServiceMonitors and PrometheusRule use. A field that is not here (a misspelling, or one alfer
 * does not use yet) fails the parse; add it here when it is needed.
 */
final class Monitoring {
  static final String API_VERSION = "monitoring.coreos.com/v1";

  private Monitoring() {}

  /** Pods selected by label, scraped on a named container port. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, PodMonitorSpec spec)
      implements ReadOnly {}

  record PodMonitorSpec(
      String jobLabel,
      List<String> podTargetLabels,
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<Endpoint> podMetricsEndpoints) {}

  /** Services selected by label, scraped on the endpoints behind a named Service port. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record ServiceMonitor(
      String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec)
      implements ReadOnly {}

  record ServiceMonitorSpec(
      String jobLabel,
      List<String> targetLabels,
      List<String> podTargetLabels,
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<Endpoint> endpoints) {}

  /** Where the targets may be: absent means the monitor's own namespace. */
  record NamespaceSelector(Boolean any, List<String> matchNames) {}

  /** A scrape endpoint: a port name (container port or Service port), path, scheme, timing. */
  record Endpoint(
      String port,
      String path,
      String scheme,
      String interval,
      String scrapeTimeout,
      Boolean honorLabels,
      SecretKeySelector bearerTokenSecret) {}

  /** Alerting and recording rules. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  record PrometheusRule(
      String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec)
      implements ReadOnly {}

  record PrometheusRuleSpec(List<RuleGroup> groups) {}

  record RuleGroup(String name, String interval, List<Rule> rules) {}

  /** An alerting rule ({@code alert}) or a recording rule ({@code record}). */
  record Rule(
      String alert,
      String record,
      String expr,
      @JsonProperty("for") String forDuration,
      @JsonProperty("keep_firing_for") String keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations) {}

  /** {@link HasMetadata} for a read-only record with apiVersion, kind and metadata. */
  interface ReadOnly extends HasMetadata {
    String apiVersion();

    String kind();

    ObjectMeta metadata();

    @Override
    default ObjectMeta getMetadata() {
      return metadata();
    }

    @Override
    default void setMetadata(ObjectMeta metadata) {
      throw new UnsupportedOperationException("read-only model");
    }

    @Override
    default String getKind() {
      return kind();
    }

    @Override
    default String getApiVersion() {
      return apiVersion();
    }

    @Override
    default void setApiVersion(String version) {
      throw new UnsupportedOperationException("read-only model");
    }
  }
}
