package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every service of the tree is deployed, in every overlay: a new module under services/ without its
 * manifests fails here with what is missing. In prod, a service runs at least two replicas with a
 * disruption budget, unless it must run alone.
 */
class ServicesTest {
  /**
   * Services that must run exactly one instance, and why. prod keeps them at one replica (label
   * alfer.io/single-instance), with the Recreate strategy and no disruption budget.
   */
  static final Map<String, String> SINGLE_INSTANCE =
      Map.of(
          "trainer",
          "two trainers would both requeue an interrupted job (services/trainer/adr/0001-job-state.md)",
          "label",
          "two would both issue every task (services/label/adr/0001-task-state.md)",
          "select",
          "two would both step every campaign, racing for its event sequence numbers"
              + " (services/select/adr/0001-campaign-state.md)");

  static List<String> overlays() {
    return Kustomize.overlays();
  }

  @Test
  void theServicesAreFoundInTheTree() {
    assertThat(Services.modules(Repo.root()))
        .contains("ingest", "trainer", "embed", "select", "label", "oracle");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyServiceOfTheTreeIsDeployed(String overlay) {
    assertThat(Services.problems(Repo.root(), Kustomize.overlay(overlay))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyDeployedServiceIsAModuleOfTheTree(String overlay) {
    for (Workload w : Workloads.of(Kustomize.overlay(overlay)).services()) {
      assertThat(Services.modules(Repo.root()))
          .as("%s runs service %s: services/%s", w.id(), w.serviceName(), w.serviceName())
          .contains(w.serviceName());
    }
  }

  @Test
  void aServiceWithoutManifestsFailsWithWhatIsMissing(@TempDir Path root) throws IOException {
    // A tree with the real deployment and one more Quarkus service, "newcomer", with no manifests.
    Path module = root.resolve("services/newcomer");
    Files.createDirectories(module);
    Files.writeString(
        module.resolve("pom.xml"),
        "<project><build><plugins><plugin><artifactId>quarkus-maven-plugin</artifactId>"
            + "</plugin></plugins></build></project>");
    Files.createDirectories(root.resolve("deploy/k8s/base"));
    Files.copy(
        Repo.k8s().resolve("base/kustomization.yaml"),
        root.resolve("deploy/k8s/base/kustomization.yaml"));
    Files.createDirectories(root.resolve("docker"));
    Files.writeString(root.resolve("docker/services.txt"), "ingest jvm\n");

    List<String> problems = Services.problems(root, Kustomize.overlay("local"));

    assertThat(problems)
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p)
                    .startsWith("services/newcomer is a Quarkus service, but ")
                    .contains(Services.HOW));
    assertThat(String.join("\n", problems))
        .contains("deploy/k8s/base/services/newcomer/ has no kustomization.yaml")
        .contains("does not list services/newcomer")
        .contains("docker/services.txt has no line for it")
        .contains("no Deployment newcomer")
        .contains("no ConfigMap newcomer-config")
        .contains("no KafkaUser alfer-newcomer")
        .contains("KafkaAccess.OWN_CLIENTS");
  }

  @Test
  void inProdEveryServiceRunsTwiceWithABudgetOrAloneByDesign() {
    Manifests prod = Kustomize.overlay("prod");
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(prod).services()) {
      String name = w.serviceName();
      Deployment d = (Deployment) w.object();
      var budget =
          prod.all(PodDisruptionBudget.class).stream()
              .filter(
                  p ->
                      NetworkPolicies.selects(
                          p.getSpec().getSelector(), w.template().getMetadata().getLabels()))
              .findFirst();
      boolean single = "true".equals(d.getMetadata().getLabels().get("alfer.io/single-instance"));
      soft.assertThat(single)
          .as(
              "%s runs alone (alfer.io/single-instance) exactly when it must: %s",
              name, SINGLE_INSTANCE.get(name))
          .isEqualTo(SINGLE_INSTANCE.containsKey(name));
      if (single) {
        soft.assertThat(d.getSpec().getReplicas()).as("%s: replicas", name).isEqualTo(1);
        soft.assertThat(d.getSpec().getStrategy().getType())
            .as("%s: never two at once, not even during a rollout", name)
            .isEqualTo("Recreate");
        soft.assertThat(budget)
            .as("%s: no disruption budget (it could only block drains)", name)
            .isEmpty();
      } else {
        soft.assertThat(d.getSpec().getReplicas())
            .as("%s: replicas", name)
            .isGreaterThanOrEqualTo(2);
        soft.assertThat(budget).as("%s: a PodDisruptionBudget", name).isPresent();
        budget.ifPresent(
            b ->
                soft.assertThat(b.getSpec().getMinAvailable().getIntVal())
                    .as("%s: the budget leaves a replica to evict", name)
                    .isLessThan(d.getSpec().getReplicas()));
      }
    }
    soft.assertAll();
  }

  @Test
  void singleInstanceServicesAreSoInEveryOverlay() {
    for (String overlay : overlays()) {
      for (Workload w : Workloads.of(Kustomize.overlay(overlay)).services()) {
        if (SINGLE_INSTANCE.containsKey(w.serviceName())) {
          Deployment d = (Deployment) w.object();
          assertThat(d.getSpec().getReplicas()).as("%s in %s", w.id(), overlay).isEqualTo(1);
          assertThat(d.getSpec().getStrategy().getType())
              .as("%s in %s", w.id(), overlay)
              .isEqualTo("Recreate");
        }
      }
    }
  }
}
