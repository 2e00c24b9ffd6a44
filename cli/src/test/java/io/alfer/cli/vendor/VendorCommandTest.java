package io.alfer.cli.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackJars;
import io.alfer.core.storage.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorCommandTest {
  private static final Path KAFKA = Path.of("deploy/k8s/base/kafka");
  private static final Path REGISTRY = Path.of("deploy/k8s/base/services/label/vendors.properties");

  @Test
  void theExampleVendorsFileIsWhatTheCommandWrites() throws IOException {
    Path example = StackJars.repositoryRoot().resolve(KAFKA).resolve("vendors/acme-labels.yaml");
    assertThat(Files.readString(example)).isEqualTo(VendorManifests.of("acme-labels"));
  }

  @Test
  void onboardingWritesTheTopicsTheUserAndTheRegistrationInOneStep(@TempDir Path root)
      throws IOException {
    copy(root, KAFKA.resolve("kustomization.yaml"));
    copy(root, REGISTRY);

    VendorCommand.Onboarding done =
        VendorCommand.onboard(root, "globex", "Globex annotation", "the-key");

    assertThat(done.changed()).hasSize(3);
    assertThat(Files.readString(root.resolve(KAFKA).resolve("vendors/globex.yaml")))
        .isEqualTo(VendorManifests.of("globex"))
        .contains("name: alfer.vendor.globex.tasks", "topicName: alfer.vendor.globex.results.dlq")
        .doesNotContain("acme");
    assertThat(Files.readString(root.resolve(KAFKA).resolve("kustomization.yaml")))
        .contains("  - vendors/acme-labels.yaml\n  - vendors/globex.yaml\n");
    assertThat(Files.readString(root.resolve(REGISTRY)))
        .contains("alfer.label.vendors.globex.description=Globex annotation\n")
        .contains(
            "alfer.label.vendors.globex.api-key-sha256="
                + Hashes.sha256Hex("the-key".getBytes(StandardCharsets.UTF_8)))
        .doesNotContain("the-key\n");
  }

  @Test
  void aVendorThatExistsOrANameThatCannotNameTopicsIsRefusedAndNothingIsWritten(@TempDir Path root)
      throws IOException {
    copy(root, KAFKA.resolve("kustomization.yaml"));
    copy(root, REGISTRY);
    String kustomization = Files.readString(root.resolve(KAFKA).resolve("kustomization.yaml"));
    String registry = Files.readString(root.resolve(REGISTRY));

    assertThatThrownBy(() -> VendorCommand.onboard(root, "acme-labels", "again", null))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("exists already");
    assertThatThrownBy(() -> VendorCommand.onboard(root, "Acme.Labels", "bad", null))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("vendor name 'Acme.Labels' must match");

    assertThat(root.resolve(KAFKA).resolve("vendors")).doesNotExist();
    assertThat(Files.readString(root.resolve(KAFKA).resolve("kustomization.yaml")))
        .isEqualTo(kustomization);
    assertThat(Files.readString(root.resolve(REGISTRY))).isEqualTo(registry);
  }

  private static void copy(Path root, Path file) throws IOException {
    Path to = root.resolve(file);
    Files.createDirectories(to.getParent());
    Files.copy(StackJars.repositoryRoot().resolve(file), to);
  }
}
