package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workload of every overlay is locked down and sized: resources, the restricted security
 * context, a writable /tmp on a read-only root filesystem, probes on what runs for long, and for
 * alfer's services the Quarkus health endpoints and Prometheus scraping of /q/metrics.
 */
class WorkloadPolicyTest {
  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyWorkloadHasResourcesAndTheRestrictedSecurityContext(String overlay) {
    Workloads workloads = Workloads.of(Kustomize.overlay(overlay));
    assertThat(workloads.all()).isNotEmpty();
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : workloads.all()) {
      PodSpec pod = w.template().getSpec();
      PodSecurityContext podSecurity = pod.getSecurityContext();
      soft.assertThat(pod.getAutomountServiceAccountToken())
          .as("%s: automountServiceAccountToken", w.id())
          .isFalse();
      for (Container c : containers(pod)) {
        String id = w.id() + " container " + c.getName();
        var resources = c.getResources();
        soft.assertThat(resources).as("%s: resources", id).isNotNull();
        if (resources != null) {
          soft.assertThat(resources.getRequests())
              .as("%s: requests", id)
              .containsKeys("cpu", "memory");
          soft.assertThat(resources.getLimits()).as("%s: limits", id).containsKeys("cpu", "memory");
        }
        SecurityContext sc =
            Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
        soft.assertThat(sc.getAllowPrivilegeEscalation())
            .as("%s: allowPrivilegeEscalation", id)
            .isFalse();
        soft.assertThat(sc.getReadOnlyRootFilesystem())
            .as("%s: readOnlyRootFilesystem", id)
            .isTrue();
        soft.assertThat(sc.getPrivileged()).as("%s: privileged", id).isNotEqualTo(Boolean.TRUE);
        soft.assertThat(sc.getCapabilities() == null ? null : sc.getCapabilities().getDrop())
            .as("%s: capabilities.drop", id)
            .containsExactly("ALL");
        soft.assertThat(sc.getCapabilities() == null ? null : sc.getCapabilities().getAdd())
            .as("%s: capabilities.add", id)
            .isNullOrEmpty();
        soft.assertThat(
                first(
                    sc.getRunAsNonRoot(),
                    podSecurity == null ? null : podSecurity.getRunAsNonRoot()))
            .as("%s: runAsNonRoot", id)
            .isTrue();
        String seccomp =
            sc.getSeccompProfile() != null
                ? sc.getSeccompProfile().getType()
                : podSecurity == null || podSecurity.getSeccompProfile() == null
                    ? null
                    : podSecurity.getSeccompProfile().getType();
        soft.assertThat(seccomp).as("%s: seccompProfile", id).isEqualTo("RuntimeDefault");
        soft.assertThat(c.getImage())
            .as("%s: image pinned by tag", id)
            .matches(".+:[^:/]+")
            .doesNotEndWith(":latest");
        soft.assertThat(tmpIsEmptyDir(pod, c)).as("%s: /tmp from an emptyDir", id).isTrue();
      }
      if (w.object() instanceof Job job) {
        soft.assertThat(job.getSpec().getActiveDeadlineSeconds())
            .as("%s: activeDeadlineSeconds bounds a run (a Job has no liveness probe)", w.id())
            .isNotNull();
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyLongRunningWorkloadHasStartupReadinessAndLivenessProbes(String overlay) {
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(Kustomize.overlay(overlay)).all()) {
      if (!w.longRunning()) {
        continue;
      }
      for (Container c : w.template().getSpec().getContainers()) {
        String id = w.id() + " container " + c.getName();
        soft.assertThat(c.getStartupProbe()).as("%s: startupProbe", id).isNotNull();
        soft.assertThat(c.getReadinessProbe()).as("%s: readinessProbe", id).isNotNull();
        soft.assertThat(c.getLivenessProbe()).as("%s: livenessProbe", id).isNotNull();
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void alferServicesProbeQuarkusHealthAndAreScraped(String overlay) {
    List<Workload> services = Workloads.of(Kustomize.overlay(overlay)).services();
    assertThat(services).as("alfer services in %s", overlay).isNotEmpty();
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : services) {
      Container c = w.template().getSpec().getContainers().get(0);
      String id = w.id();
      Optional<ContainerPort> http =
          c.getPorts() == null
              ? Optional.empty()
              : c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst();
      soft.assertThat(http).as("%s: a container port named http", id).isPresent();
      soft.assertThat(path(c.getStartupProbe()))
          .as("%s: startupProbe", id)
          .isEqualTo("/q/health/started");
      soft.assertThat(path(c.getReadinessProbe()))
          .as("%s: readinessProbe", id)
          .isEqualTo("/q/health/ready");
      soft.assertThat(path(c.getLivenessProbe()))
          .as("%s: livenessProbe", id)
          .isEqualTo("/q/health/live");
      for (Probe p : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
        if (p != null && p.getHttpGet() != null) {
          soft.assertThat(p.getHttpGet().getPort().getStrVal())
              .as("%s: probe port", id)
              .isEqualTo("http");
        }
      }
      Map<String, String> annotations = w.template().getMetadata().getAnnotations();
      soft.assertThat(annotations)
          .as("%s: Prometheus scrape annotations", id)
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/path", "/q/metrics");
      http.ifPresent(
          p ->
              soft.assertThat(annotations)
                  .as("%s: scraped on its http port", id)
                  .containsEntry("prometheus.io/port", String.valueOf(p.getContainerPort())));
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyDirectoryAServiceIsToldToWriteIsAWritableVolume(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(manifests).services()) {
      Container c = w.container();
      PodSpec pod = w.template().getSpec();
      for (var e : w.environment(manifests).entrySet()) {
        if (!e.getKey().endsWith("_DIR")) {
          continue;
        }
        String dir = e.getValue();
        boolean onEmptyDir =
            c.getVolumeMounts().stream()
                .filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
                .filter(m -> dir.equals(m.getMountPath()) || dir.startsWith(m.getMountPath() + "/"))
                .anyMatch(
                    m ->
                        pod.getVolumes().stream()
                            .anyMatch(
                                v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
        // The CUDA image brings DJL's cache filled and read-only in /opt (docker/Dockerfile.cuda).
        boolean inCudaImage = dir.startsWith("/opt/") && c.getImage().endsWith("-cuda");
        soft.assertThat(onEmptyDir || inCudaImage)
            .as(
                "%s: %s=%s is on a writable emptyDir (the root filesystem is read-only)",
                w.id(), e.getKey(), dir)
            .isTrue();
      }
    }
    soft.assertAll();
  }

  private static List<Container> containers(PodSpec pod) {
    var all = new java.util.ArrayList<Container>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    return all;
  }

  private static boolean tmpIsEmptyDir(PodSpec pod, Container c) {
    if (c.getVolumeMounts() == null || pod.getVolumes() == null) {
      return false;
    }
    return c.getVolumeMounts().stream()
        .filter(m -> "/tmp".equals(m.getMountPath()))
        .anyMatch(
            m ->
                pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(m.getName()))
                    .map(Volume::getEmptyDir)
                    .anyMatch(java.util.Objects::nonNull));
  }

  private static String path(Probe probe) {
    return probe == null || probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
  }

  private static Boolean first(Boolean a, Boolean b) {
    return a != null ? a : b;
  }
}
