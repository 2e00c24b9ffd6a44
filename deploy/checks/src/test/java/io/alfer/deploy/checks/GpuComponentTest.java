package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * components/gpu is ready for trainer and embed before they exist: a Deployment labelled
 * alfer.io/accelerator=gpu added to the base lands on a GPU node with one GPU and its CUDA image,
 * and the others stay where they were.
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
  void theGpuOverlayUsesTheComponent() throws IOException {
    assertThat(Files.readString(Repo.k8s().resolve("overlays/gpu/kustomization.yaml")))
        .contains("../../components/gpu");
  }
}
