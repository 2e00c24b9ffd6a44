package io.alfer.deploy.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Renders kustomizations with {@code kubectl kustomize}, each once per test run. */
final class Kustomize {
  private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

  private Kustomize() {}

  /** The overlays to check: every folder of deploy/k8s/overlays. */
  static List<String> overlays() {
    try (Stream<Path> dirs = Files.list(Repo.k8s().resolve("overlays"))) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rendered, parsed and type-checked objects of overlay {@code name}. */
  static Manifests overlay(String name) {
    return render(Repo.k8s().resolve("overlays").resolve(name));
  }

  /** The rendered, parsed and type-checked objects of the kustomization in {@code dir}. */
  static Manifests render(Path dir) {
    return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> Manifests.parse(run(d)));
  }

  /** The YAML that {@code kubectl kustomize dir} prints; fails with kubectl's message. */
  static String run(Path dir) {
    List<String> command = new ArrayList<>(List.of("kubectl", "kustomize", dir.toString()));
    Process process;
    java.io.File errors;
    try {
      // kubectl's messages go to a file: reading two pipes one after the other can deadlock.
      errors = java.io.File.createTempFile("kustomize", ".err");
      errors.deleteOnExit();
      process = new ProcessBuilder(command).redirectError(errors).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "kubectl is required to render the kustomize overlays (deploy/k8s) and was not found on"
              + " the PATH; install kubectl (it includes kustomize)",
          e);
    }
    try {
      process.getOutputStream().close();
      var out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl kustomize " + dir + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize "
                + dir
                + " failed:\n"
                + Files.readString(errors.toPath())
                + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
