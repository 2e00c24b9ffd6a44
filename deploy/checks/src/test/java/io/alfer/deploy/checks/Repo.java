package io.alfer.deploy.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Paths in the alfer repository that the checks read. */
final class Repo {
  private Repo() {}

  /** The repository root: system property alfer.repo.root (set by the pom), else found upwards. */
  static Path root() {
    String configured = System.getProperty("alfer.repo.root");
    if (configured != null) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run from inside the alfer repository");
    }
    return dir;
  }

  static Path k8s() {
    return root().resolve("deploy/k8s");
  }

  static Path docker() {
    return root().resolve("docker");
  }

  /** The Maven module of service {@code name}: services/NAME. */
  static Path service(String name) {
    return root().resolve("services").resolve(name);
  }
}
