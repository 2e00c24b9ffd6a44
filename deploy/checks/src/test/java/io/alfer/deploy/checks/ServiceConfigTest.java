package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration each service gets is configuration it reads: every environment variable of an
 * alfer service's container (its own, and every key of the ConfigMaps and Secrets it takes whole)
 * and every property of a config file mounted for it is one that
 * services/NAME/src/main/resources/application.properties, its {@code @ConfigMapping} interfaces,
 * its image or its libraries read (see {@link ServiceConfig}). A misspelled or stale key fails here
 * instead of being silently ignored in the cluster.
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

  /** The keys of the Secret Strimzi's User Operator makes for a SCRAM-SHA-512 KafkaUser. */
  static final Set<String> SCRAM_USER_SECRET = Set.of("password", "sasl.jaas.config");

  /** Where Quarkus reads a config file over the built-in one: config/ in its working directory. */
  static final String CONFIG_DIR = "/deployments/config";

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyPropertyOfAMountedConfigFileIsOneTheServiceReads(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(manifests).services()) {
      String service = w.serviceName();
      Set<String> names = ServiceConfig.propertyNames(service);
      var pod = w.template().getSpec();
      for (Container c : pod.getContainers()) {
        for (VolumeMount mount :
            c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
          Volume volume =
              pod.getVolumes().stream()
                  .filter(v -> v.getName().equals(mount.getName()))
                  .findFirst()
                  .orElseThrow();
          if (volume.getConfigMap() == null) {
            continue;
          }
          String id = w.id() + " volume " + volume.getName();
          soft.assertThat(mount.getMountPath())
              .as("%s: a ConfigMap for a service is a config file Quarkus reads", id)
              .isEqualTo(CONFIG_DIR);
          soft.assertThat(mount.getReadOnly()).as("%s: read-only", id).isTrue();
          var cm = manifests.find(ConfigMap.class, volume.getConfigMap().getName());
          soft.assertThat(cm)
              .as("%s: ConfigMap %s", id, volume.getConfigMap().getName())
              .isPresent();
          if (cm.isEmpty()) {
            continue;
          }
          soft.assertThat(cm.get().getData().keySet())
              .as("%s: the file Quarkus reads in %s", id, CONFIG_DIR)
              .containsExactly("application.properties");
          String file = cm.get().getData().getOrDefault("application.properties", "");
          for (String property : ServiceConfig.propertyKeys(file)) {
            soft.assertThat(ServiceConfig.matches(names, property))
                .as(
                    "%s sets %s, which %s does not read (not in its application.properties or"
                        + " config mappings)",
                    id, property, service)
                .isTrue();
          }
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void readsTheConfigMappingsToo() {
    assertThat(ServiceConfig.propertyNames("label"))
        .contains(
            "alfer.label.vendors.*.api-key-sha256",
            "alfer.label.vendors.*.description",
            "alfer.label.dawid-skene.min-history",
            "alfer.label.instance");
    assertThat(
            ServiceConfig.matches(
                ServiceConfig.propertyNames("label"),
                "alfer.label.vendors.acme-labels.api-key-sha256"))
        .isTrue();
    assertThat(
            ServiceConfig.matches(
                ServiceConfig.propertyNames("label"), "alfer.label.vendors.acme-labels.api-key"))
        .isFalse();
    // A mapping property set nowhere in application.properties is still read.
    assertThat(ServiceConfig.readBy("ingest")).contains("ALFER_INGEST_REFUSALS_KEPT");
    assertThat(ServiceConfig.readBy("embed")).contains("ALFER_EMBED_INSTANCE");
  }

  @Test
  void kafkaClientSettingsAreReadOnlyWhenTheyAreRealSettings() {
    assertThat(ServiceConfig.kafkaClientSetting("oracle", "KAFKA_SASL_JAAS_CONFIG"))
        .isEqualTo("sasl.jaas.config");
    assertThat(ServiceConfig.reads("oracle", "KAFKA_SECURITY_PROTOCOL")).isTrue();
    assertThat(ServiceConfig.reads("oracle", "KAFKA_SASL_JAAS_CONFG")).isFalse();
    // DJL's variables only where DJL is used.
    assertThat(ServiceConfig.reads("trainer", "DJL_CACHE_DIR")).isTrue();
    assertThat(ServiceConfig.reads("label", "DJL_CACHE_DIR")).isFalse();
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
      for (Container c : w.template().getSpec().getContainers()) {
        for (String variable : variables(manifests, c, soft, w.id())) {
          soft.assertThat(ServiceConfig.reads(service, variable))
              .as(
                  "%s sets %s, which %s does not read (no ${%s} or matching property in its"
                      + " application.properties or config mappings, no Kafka client setting)",
                  w.id(), variable, service, variable)
              .isTrue();
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
        .contains("ALFER_INGEST_IMPORT_PARALLELISM", "JAVA_OPTS", "JAVA_OPTS_APPEND")
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
            .as(
                "%s: Secret %s (rendered, a KafkaUser's, or one of %s)",
                id, name, EXTERNAL_SECRETS.keySet())
            .isNotEmpty();
        names.addAll(keys);
      }
    }
    return names;
  }

  /**
   * The keys of Secret {@code name}: rendered, made by Strimzi's User Operator for a KafkaUser of
   * that name, or one created by hand ({@link #EXTERNAL_SECRETS}).
   */
  static Set<String> secretKeys(Manifests manifests, String name) {
    Optional<Secret> rendered = manifests.find(Secret.class, name);
    if (rendered.isPresent()) {
      return new TreeSet<>(
          rendered.get().getData() == null ? Set.of() : rendered.get().getData().keySet());
    }
    Optional<KafkaUser> user = manifests.find(KafkaUser.class, name);
    if (user.isPresent()
        && user.get().getSpec().getAuthentication()
            instanceof KafkaUserScramSha512ClientAuthentication) {
      return SCRAM_USER_SECRET;
    }
    return EXTERNAL_SECRETS.getOrDefault(name, Set.of());
  }
}
