package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration each service gets is configuration it reads: every environment variable of an
 * alfer service's container (its own, and every key of the ConfigMaps and Secrets it takes whole)
 * is referenced by services/NAME/src/main/resources/application.properties. A misspelled or stale
 * key fails here instead of being silently ignored in the cluster.
 */
class ServiceConfigTest {
  /**
   * Secrets that production creates by hand (deploy/README.md), with their keys; overlays/local
   * generates them with the same keys.
   */
  static final Map<String, Set<String>> EXTERNAL_SECRETS =
      Map.of(
          "alfer-s3", Set.of("ALFER_S3_ACCESS_KEY", "ALFER_S3_SECRET_KEY"),
          "minio-root", Set.of("MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"));

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyVariableAServiceGetsIsOneItReads(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(manifests).services()) {
      String service = w.serviceName();
      assertThat(Files.isRegularFile(ServiceConfig.properties(service)))
          .as(
              "%s runs service %s, so %s exists",
              w.id(), service, ServiceConfig.properties(service))
          .isTrue();
      Set<String> read = ServiceConfig.readBy(service);
      for (Container c : w.template().getSpec().getContainers()) {
        for (String variable : variables(manifests, c, soft, w.id())) {
          soft.assertThat(read)
              .as(
                  "%s sets %s, which %s does not read (no ${%s} or matching property in its"
                      + " application.properties)",
                  w.id(), variable, service, variable)
              .contains(variable);
        }
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void theHttpPortInTheConfigIsTheContainerPort(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    for (Workload w : Workloads.of(manifests).services()) {
      String service = w.serviceName();
      String portVariable = "ALFER_" + ServiceConfig.environmentName(service) + "_PORT";
      Container c = w.template().getSpec().getContainers().get(0);
      manifests
          .find(ConfigMap.class, service + "-config")
          .map(cm -> cm.getData().get(portVariable))
          .ifPresent(
              port ->
                  assertThat(c.getPorts())
                      .as("%s: port http is %s=%s", w.id(), portVariable, port)
                      .anySatisfy(
                          p -> {
                            assertThat(p.getName()).isEqualTo("http");
                            assertThat(p.getContainerPort()).isEqualTo(Integer.parseInt(port));
                          }));
    }
  }

  @Test
  void localGeneratesTheExternalSecretsWithTheirKeys() {
    Manifests local = Kustomize.overlay("local");
    for (var entry : EXTERNAL_SECRETS.entrySet()) {
      List<Secret> generated =
          local.all(Secret.class).stream()
              .filter(s -> s.getMetadata().getName().startsWith(entry.getKey() + "-"))
              .toList();
      assertThat(generated).as("secret %s in overlays/local", entry.getKey()).hasSize(1);
      assertThat(generated.get(0).getData().keySet()).isEqualTo(entry.getValue());
    }
  }

  @Test
  void readsReferencesAndPropertiesOfIngest() {
    Set<String> read = ServiceConfig.readBy("ingest");
    assertThat(read)
        .contains("ALFER_S3_ENDPOINT", "ALFER_KAFKA_BOOTSTRAP", "ALFER_INGEST_PORT")
        .contains("ALFER_INGEST_IMPORT_PARALLELISM", "JAVA_OPTS")
        .doesNotContain("ALFER_S3_ENDPOINTS");
  }

  /** The names of the variables a container gets; fails on a reference to nothing. */
  private static Set<String> variables(
      Manifests manifests, Container c, SoftAssertions soft, String id) {
    Set<String> names = new TreeSet<>();
    for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      names.add(env.getName());
      if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = env.getValueFrom().getConfigMapKeyRef();
        soft.assertThat(
                manifests.find(ConfigMap.class, ref.getName()).map(cm -> cm.getData().keySet()))
            .as("%s: ConfigMap %s with key %s", id, ref.getName(), ref.getKey())
            .hasValueSatisfying(keys -> assertThat(keys).contains(ref.getKey()));
      }
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        var ref = env.getValueFrom().getSecretKeyRef();
        soft.assertThat(secretKeys(manifests, ref.getName()))
            .as("%s: Secret %s with key %s", id, ref.getName(), ref.getKey())
            .contains(ref.getKey());
      }
    }
    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
      soft.assertThat(from.getPrefix()).as("%s: envFrom prefix", id).isNull();
      if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        var cm = manifests.find(ConfigMap.class, name);
        soft.assertThat(cm).as("%s: ConfigMap %s", id, name).isPresent();
        cm.ifPresent(m -> names.addAll(m.getData().keySet()));
      }
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        List<String> keys = new ArrayList<>(secretKeys(manifests, name));
        soft.assertThat(keys)
            .as("%s: Secret %s (rendered, or one of %s)", id, name, EXTERNAL_SECRETS.keySet())
            .isNotEmpty();
        names.addAll(keys);
      }
    }
    return names;
  }

  private static Set<String> secretKeys(Manifests manifests, String name) {
    return manifests
        .find(Secret.class, name)
        .map(
            s -> (Set<String>) new TreeSet<>(s.getData() == null ? Set.of() : s.getData().keySet()))
        .orElse(EXTERNAL_SECRETS.getOrDefault(name, Set.of()));
  }
}
