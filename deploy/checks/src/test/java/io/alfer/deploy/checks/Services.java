package io.alfer.deploy.checks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The alfer services, found in the tree rather than listed: every folder of services/ whose pom
 * builds a Quarkus app. Each must be deployed; {@link #problems} says what is missing for one that
 * is not, pointing at the README's steps.
 */
final class Services {
  static final String HOW = "deploy/README.md, \"Adding a service\"";

  private Services() {}

  /** The names of the Quarkus services under {@code root}/services. */
  static List<String> modules(Path root) {
    Path services = root.resolve("services");
    if (!Files.isDirectory(services)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(services)) {
      TreeSet<String> names = new TreeSet<>();
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Path pom = dir.resolve("pom.xml");
        if (Files.isRegularFile(pom) && Files.readString(pom).contains("quarkus-maven-plugin")) {
          names.add(dir.getFileName().toString());
        }
      }
      return List.copyOf(names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What is missing to deploy every service of the tree at {@code root} in the rendered {@code
   * manifests}, one message per gap, each naming the service, the file or object expected, and
   * where the steps are; empty when every service is deployed.
   */
  static List<String> problems(Path root, Manifests manifests) {
    List<String> problems = new ArrayList<>();
    String baseKustomization = read(root.resolve("deploy/k8s/base/kustomization.yaml"));
    String servicesTxt = read(root.resolve("docker/services.txt"));
    for (String name : modules(root)) {
      String prefix = "services/" + name + " is a Quarkus service, but ";
      Path folder = root.resolve("deploy/k8s/base/services").resolve(name);
      if (!Files.isRegularFile(folder.resolve("kustomization.yaml"))) {
        problems.add(
            prefix
                + "deploy/k8s/base/services/"
                + name
                + "/ has no kustomization.yaml ("
                + HOW
                + ")");
      }
      if (!baseKustomization.contains("- services/" + name + "\n")) {
        problems.add(
            prefix
                + "deploy/k8s/base/kustomization.yaml does not list services/"
                + name
                + " ("
                + HOW
                + ")");
      }
      if (!servicesTxt.lines().anyMatch(l -> l.strip().split("\\s+")[0].equals(name))) {
        problems.add(
            prefix + "docker/services.txt has no line for it, so it has no image (" + HOW + ")");
      }
      var deployment = manifests.find(Deployment.class, name);
      if (deployment.isEmpty()) {
        problems.add(prefix + "no Deployment " + name + " is rendered (" + HOW + ")");
      } else {
        Map<String, String> labels = deployment.get().getMetadata().getLabels();
        if (!"service".equals(labels.get(Workloads.COMPONENT))
            || !name.equals(labels.get(Workloads.NAME))) {
          problems.add(
              prefix
                  + "Deployment "
                  + name
                  + " lacks the labels "
                  + Workloads.COMPONENT
                  + "=service and "
                  + Workloads.NAME
                  + "="
                  + name
                  + " that the overlays and checks find services by ("
                  + HOW
                  + ")");
        }
      }
      if (manifests.find(Service.class, name).isEmpty()) {
        problems.add(prefix + "no Service " + name + " is rendered (" + HOW + ")");
      }
      if (manifests.find(ConfigMap.class, name + "-config").isEmpty()) {
        problems.add(prefix + "no ConfigMap " + name + "-config is rendered (" + HOW + ")");
      }
      if (manifests.find(KafkaUser.class, "alfer-" + name).isEmpty()) {
        problems.add(
            prefix
                + "no KafkaUser alfer-"
                + name
                + " is rendered (deploy/k8s/base/kafka/users/, "
                + HOW
                + ")");
      }
      if (!KafkaAccess.OWN_CLIENTS.containsKey(name)) {
        problems.add(
            prefix
                + "KafkaAccess.OWN_CLIENTS (deploy/checks) does not say which topics its own Kafka"
                + " clients read ("
                + HOW
                + ")");
      }
    }
    return problems;
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
