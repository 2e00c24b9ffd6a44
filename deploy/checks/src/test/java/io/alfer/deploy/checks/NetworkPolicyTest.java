package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.deploy.checks.NetworkPolicies.Pod;
import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Only what must talk can: the namespace's network policies are evaluated ({@link NetworkPolicies})
 * for the connections alfer needs and for those it must refuse. The services reach Kafka, and MinIO
 * when they use the object store; the ingress controller reaches the public APIs and MinIO
 * (pre-signed image URLs); Prometheus reaches every service's metrics; no service calls another
 * over HTTP; nothing else gets in or out.
 */
class NetworkPolicyTest {
  /**
   * The services whose HTTP API is public: ingest (uploads, bulk imports), label (the vendors' task
   * API) and select (users' campaigns). trainer's and embed's APIs are for operators, who use
   * kubectl port-forward; the oracle serves only health and metrics.
   */
  static final Set<String> PUBLIC = Set.of("ingest", "label", "select", "console");

  /** The one service that calls the others over HTTP. */
  static final String CONSOLE = "console";

  static final int DNS = 53;

  static final Pod INGRESS_CONTROLLER =
      Pod.elsewhere(
          "ingress-controller",
          "ingress-nginx",
          Map.of("kubernetes.io/metadata.name", "ingress-nginx", "alfer.io/ingress", "true"),
          Map.of("app.kubernetes.io/name", "ingress-nginx"));
  static final Pod PROMETHEUS =
      Pod.elsewhere(
          "prometheus",
          "monitoring",
          Map.of("kubernetes.io/metadata.name", "monitoring", "alfer.io/monitoring", "true"),
          Map.of("app.kubernetes.io/name", "prometheus"));
  static final Pod STRANGER =
      Pod.elsewhere(
          "stranger",
          "default",
          Map.of("kubernetes.io/metadata.name", "default"),
          Map.of("app", "x"));
  static final Pod KEDA =
      Pod.elsewhere(
          "keda-operator",
          "keda",
          Map.of("kubernetes.io/metadata.name", "keda"),
          Map.of("app", "keda-operator"));
  static final Pod CLUSTER_DNS =
      Pod.elsewhere(
          "coredns",
          "kube-system",
          Map.of("kubernetes.io/metadata.name", "kube-system"),
          Map.of("k8s-app", "kube-dns"));

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void onlyWhatMustTalkCan(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    NetworkPolicies policies = new NetworkPolicies(manifests.all(NetworkPolicy.class));
    Workloads workloads = Workloads.of(manifests);
    Map<String, Pod> services = new LinkedHashMap<>();
    for (Workload w : workloads.services()) {
      services.put(w.serviceName(), pod(w));
    }
    Pod minio =
        pod(
            workloads.all().stream()
                .filter(w -> w.id().equals("Deployment/minio"))
                .findFirst()
                .orElseThrow());
    Pod bucketJob =
        pod(
            workloads.all().stream()
                .filter(w -> w.id().equals("Job/minio-bucket"))
                .findFirst()
                .orElseThrow());
    Kafka kafka = manifests.all(Kafka.class).get(0);
    GenericKafkaListener listener =
        kafka.getSpec().getKafka().getListeners().stream()
            .filter(l -> l.getName().equals(KafkaAccessTest.SERVICES_LISTENER))
            .findFirst()
            .orElseThrow();
    Pod broker =
        Pod.alfer(
            "kafka-broker",
            Map.of(
                "strimzi.io/cluster",
                kafka.getMetadata().getName(),
                "strimzi.io/kind",
                "Kafka",
                "strimzi.io/name",
                kafka.getMetadata().getName() + "-kafka"),
            Map.of());
    int kafkaPort = listener.getPort();
    int s3 = minio.ports().get("s3");

    SoftAssertions soft = new SoftAssertions();
    for (var e : services.entrySet()) {
      String name = e.getKey();
      Pod service = e.getValue();
      int http = service.ports().get("http");
      boolean usesS3 = ServiceConfig.usesObjectStore(name);

      soft.assertThat(policies.egressAllows(service, broker, kafkaPort))
          .as("%s -> Kafka:%d (egress)", name, kafkaPort)
          .isTrue();
      soft.assertThat(NetworkPolicies.admits(listener.getNetworkPolicyPeers(), service))
          .as("%s is a peer of listener %s", name, listener.getName())
          .isTrue();
      soft.assertThat(policies.allows(service, minio, s3))
          .as("%s -> MinIO:%d (it %s the object store)", name, s3, usesS3 ? "uses" : "does not use")
          .isEqualTo(usesS3);
      soft.assertThat(policies.allows(service, CLUSTER_DNS, DNS)).as("%s -> DNS", name).isTrue();
      for (var other : services.entrySet()) {
        if (!other.getKey().equals(name)) {
          boolean console = name.equals(CONSOLE);
          soft.assertThat(
                  policies.allows(service, other.getValue(), other.getValue().ports().get("http")))
              .as(
                  "%s -> %s's HTTP (%s)",
                  name,
                  other.getKey(),
                  console ? "the console shows their REST views" : "services talk over Kafka")
              .isEqualTo(console);
        }
      }
      soft.assertThat(policies.allows(service, STRANGER, 443))
          .as("%s -> anything else", name)
          .isFalse();

      soft.assertThat(policies.allows(INGRESS_CONTROLLER, service, http))
          .as(
              "ingress controller -> %s's HTTP (%s)",
              name, PUBLIC.contains(name) ? "public" : "not public")
          .isEqualTo(PUBLIC.contains(name));
      soft.assertThat(policies.allows(PROMETHEUS, service, http))
          .as("Prometheus -> %s's /q/metrics", name)
          .isTrue();
      soft.assertThat(policies.allows(STRANGER, service, http))
          .as("another namespace -> %s", name)
          .isFalse();
    }
    soft.assertThat(policies.allows(bucketJob, minio, s3)).as("bucket Job -> MinIO").isTrue();
    soft.assertThat(policies.allows(INGRESS_CONTROLLER, minio, s3))
        .as("ingress controller -> MinIO (vendors follow pre-signed URLs)")
        .isTrue();
    soft.assertThat(policies.allows(STRANGER, minio, s3))
        .as("another namespace -> MinIO")
        .isFalse();
    // MinIO serves its metrics on the S3 port; only overlays with components/monitoring scrape it.
    boolean scrapesMinio = !manifests.all(Monitoring.ServiceMonitor.class).isEmpty();
    soft.assertThat(policies.allows(PROMETHEUS, minio, s3))
        .as("Prometheus -> MinIO (%s)", scrapesMinio ? "scraped" : "not scraped here")
        .isEqualTo(scrapesMinio);
    soft.assertThat(NetworkPolicies.admits(listener.getNetworkPolicyPeers(), STRANGER))
        .as("another namespace -> Kafka")
        .isFalse();
    soft.assertThat(NetworkPolicies.admits(listener.getNetworkPolicyPeers(), minio))
        .as("MinIO -> Kafka")
        .isFalse();
    if (!overlay.equals("local")) {
      soft.assertThat(NetworkPolicies.admits(listener.getNetworkPolicyPeers(), KEDA))
          .as("KEDA's operator -> Kafka (embed's consumer lag)")
          .isTrue();
    }
    soft.assertAll();
  }

  @org.junit.jupiter.api.Test
  void theEvaluatorRefusesWhatNoPolicyAllows() {
    NetworkPolicies none =
        new NetworkPolicies(
            List.of(
                (NetworkPolicy)
                    Manifests.parse(
                            """
                            apiVersion: networking.k8s.io/v1
                            kind: NetworkPolicy
                            metadata:
                              name: default-deny
                            spec:
                              podSelector: {}
                              policyTypes: [Ingress, Egress]
                            """)
                        .all()
                        .get(0)));
    Pod a = Pod.alfer("a", Map.of("app", "a"), Map.of("http", 8080));
    Pod b = Pod.alfer("b", Map.of("app", "b"), Map.of("http", 8080));
    assertThat(none.allows(a, b, 8080)).isFalse();
    assertThat(none.allows(STRANGER, a, 8080)).isFalse();
    assertThat(new NetworkPolicies(List.of()).allows(a, b, 8080)).isTrue();
  }

  private static Pod pod(Workload w) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Container c : w.template().getSpec().getContainers()) {
      for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
        if (p.getName() != null) {
          ports.put(p.getName(), p.getContainerPort());
        }
      }
    }
    return Pod.alfer(
        w.object().getMetadata().getName(), w.template().getMetadata().getLabels(), ports);
  }
}
