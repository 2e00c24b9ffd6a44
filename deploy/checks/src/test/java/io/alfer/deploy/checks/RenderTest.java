package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders, and every object it renders matches its typed model exactly. */
class RenderTest {
  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @Test
  void theThreeOverlaysExist() {
    assertThat(overlays()).contains("local", "gpu", "prod");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void rendersIntoTypedObjectsInNamespaceAlfer(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);

    assertThat(manifests.all()).isNotEmpty();
    Set<String> seen = new HashSet<>();
    for (HasMetadata object : manifests.all()) {
      String id = object.getKind() + "/" + object.getMetadata().getName();
      assertThat(seen.add(id)).as("%s appears once in %s", id, overlay).isTrue();
      if (!(object instanceof Namespace)) {
        assertThat(object.getMetadata().getNamespace())
            .as("namespace of %s", id)
            .isEqualTo("alfer");
      }
      assertThat(object.getMetadata().getLabels())
          .as("labels of %s", id)
          .containsEntry("app.kubernetes.io/part-of", "alfer");
    }
  }

  @Test
  void theBaseRendersToo() {
    assertThat(Kustomize.render(Repo.k8s().resolve("base")).all()).isNotEmpty();
  }

  @Test
  void aMisspelledKubernetesFieldFails() {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          template:
            spec:
              containers:
                - name: x
                  image: x:1
                  readinesProbe:
                    httpGet:
                      path: /q/health/ready
                      port: 8080
        """;
    assertThatThrownBy(() -> Manifests.parse(yaml))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("readinesProbe");
  }

  @Test
  void aMisplacedStrimziFieldFails() {
    String yaml =
        """
        apiVersion: kafka.strimzi.io/v1
        kind: KafkaTopic
        metadata:
          name: t
        spec:
          partition: 3
        """;
    assertThatThrownBy(() -> Manifests.parse(yaml))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("partition");
  }

  @Test
  void anUnknownKindFails() {
    String yaml =
        """
        apiVersion: monitoring.coreos.com/v1
        kind: Probe
        metadata:
          name: embed
        """;
    assertThatThrownBy(() -> Manifests.parse(yaml))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no model for monitoring.coreos.com/v1/Probe");
  }

  @Test
  void aMisspelledMonitoringFieldFails() {
    String yaml =
        """
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: alfer
        spec:
          groups:
            - name: g
              rules:
                - alert: A
                  expr: up == 0
                  fore: 5m
        """;
    assertThatThrownBy(() -> Manifests.parse(yaml))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fore");
  }

  @Test
  void aMisspelledKedaFieldFails() {
    String yaml =
        """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata:
          name: embed
        spec:
          scaleTargetRef:
            name: embed
          maxReplicas: 12
        """;
    assertThatThrownBy(() -> Manifests.parse(yaml))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("maxReplicas");
  }
}
