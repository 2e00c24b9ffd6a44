package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * components/gpu puts trainer and embed on GPU nodes with one GPU, their CUDA images and their GPU
 * settings, and leaves every other workload where it was; any Deployment labelled
 * alfer.io/accelerator=gpu added later gets the same placement.
 */
class GpuComponentTest {
  @Test
  void aGpuLabelledDeploymentGetsAGpuNodeAGpuAndItsCudaImage() throws IOException {
    Path scratch = Repo.root().resolve("deploy/checks/target/gpu-component-check");
    Path basePlus = scratch.resolve("base-plus");
    Path overlay = scratch.resolve("overlay");
    Files.createDirectories(basePlus);
    Files.createDirectories(overlay);
    Files.writeString(
        basePlus.resolve("kustomization.yaml"),
        "resources:\n  - "
            + basePlus.relativize(Repo.k8s().resolve("base"))
            + "\n  - trainer.yaml\n");
    Files.writeString(
        basePlus.resolve("trainer.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: trainer
          labels:
            app.kubernetes.io/part-of: alfer
            alfer.io/accelerator: gpu
        spec:
          selector:
            matchLabels:
              app.kubernetes.io/name: trainer
          template:
            metadata:
              labels:
                app.kubernetes.io/name: trainer
            spec:
              containers:
                - name: trainer
                  image: alfer/alfer-trainer:0.1.0-SNAPSHOT
                  resources:
                    limits:
                      cpu: "4"
                      memory: 8Gi
        """);
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        "resources:\n  - ../base-plus\ncomponents:\n  - "
            + overlay.relativize(Repo.k8s().resolve("components/gpu"))
            + "\n");

    Manifests rendered = Kustomize.render(overlay);

    PodSpec trainer =
        rendered.find(Deployment.class, "trainer").orElseThrow().getSpec().getTemplate().getSpec();
    assertThat(trainer.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    assertThat(trainer.getTolerations())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    Container container = trainer.getContainers().get(0);
    assertThat(container.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(container.getImage()).isEqualTo("alfer/alfer-trainer:0.1.0-SNAPSHOT-cuda");

    PodSpec ingest =
        rendered.find(Deployment.class, "ingest").orElseThrow().getSpec().getTemplate().getSpec();
    assertThat(ingest.getNodeSelector()).isNullOrEmpty();
    assertThat(ingest.getContainers().get(0).getResources().getLimits())
        .doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void inTheGpuOverlayTrainerAndEmbedRunTheirCudaImagesOnAGpuAndUseIt() {
    Manifests gpu = Kustomize.overlay("gpu");
    Workloads workloads = Workloads.of(gpu);
    Map<String, Map<String, String>> device =
        Map.of(
            "trainer", Map.of("ALFER_TRAINER_DEVICE", "gpu"),
            "embed", Map.of("ALFER_EMBED_DEVICE", "cuda"));
    for (Workloads.Workload w : workloads.services()) {
      PodSpec pod = w.template().getSpec();
      Container c = w.container();
      if (device.containsKey(w.serviceName())) {
        assertThat(pod.getNodeSelector())
            .as(w.id())
            .containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations())
            .as(w.id())
            .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(c.getResources().getLimits())
            .as(w.id())
            .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(c.getImage()).as(w.id()).endsWith("-cuda");
        assertThat(w.environment(gpu)).as(w.id()).containsAllEntriesOf(device.get(w.serviceName()));
      } else {
        assertThat(pod.getNodeSelector()).as(w.id()).isNullOrEmpty();
        assertThat(c.getResources().getLimits()).as(w.id()).doesNotContainKey("nvidia.com/gpu");
        assertThat(c.getImage()).as(w.id()).doesNotEndWith("-cuda");
      }
    }
    assertThat(workloads.service("trainer").orElseThrow().environment(gpu))
        .as("the trainer uses the DJL cache of its CUDA image")
        .containsEntry("DJL_CACHE_DIR", "/opt/djl");
  }

  @Test
  void withoutTheComponentNothingAsksForAGpu() {
    for (String overlay : List.of("local", "prod")) {
      Manifests manifests = Kustomize.overlay(overlay);
      for (Workloads.Workload w : Workloads.of(manifests).services()) {
        assertThat(w.container().getResources().getLimits())
            .as("%s in %s", w.id(), overlay)
            .doesNotContainKey("nvidia.com/gpu");
        assertThat(w.container().getImage())
            .as("%s in %s", w.id(), overlay)
            .doesNotEndWith("-cuda");
        assertThat(w.environment(manifests))
            .as("%s in %s: the JVM image runs on the CPU", w.id(), overlay)
            .doesNotContainEntry("ALFER_TRAINER_DEVICE", "gpu")
            .doesNotContainEntry("ALFER_EMBED_DEVICE", "cuda");
      }
    }
  }

  @Test
  void theGpuOverlayUsesTheComponent() throws IOException {
    assertThat(Files.readString(Repo.k8s().resolve("overlays/gpu/kustomization.yaml")))
        .contains("../../components/gpu");
  }
}
