package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles package what `mvn package` produces, without a Docker engine: every file a
 * Dockerfile copies from the build context is part of a Quarkus fast-jar (checked against
 * services/NAME/target/quarkus-app where it was built, and against the packaging settings
 * otherwise), the entrypoint runs quarkus-run.jar, the user is not root, and every base image and
 * native library version comes from docker/versions.env.
 */
class DockerfilesTest {
  /** What a Quarkus fast-jar build leaves in target/quarkus-app, and what the images need. */
  static final Set<String> FAST_JAR = Set.of("lib/", "app/", "quarkus/", "quarkus-run.jar");

  static final List<String> VARIANTS = List.of("jvm", "cuda");

  private static final Pattern COPY = Pattern.compile("^COPY\\s+(.*)$");
  private static final Pattern ARG = Pattern.compile("^ARG\\s+([A-Z_][A-Z0-9_]*)(=.*)?$");

  @Test
  void everyCopiedFileIsProducedByMvnPackage() throws IOException {
    SoftAssertions soft = new SoftAssertions();
    for (String variant : VARIANTS) {
      Set<String> sources = new TreeSet<>();
      for (String[] copy : copies(variant)) {
        String source = copy[0];
        soft.assertThat(source)
            .as("Dockerfile.%s copies %s from the context", variant, source)
            .startsWith("target/quarkus-app/");
        sources.add(source.substring("target/quarkus-app/".length()));
      }
      soft.assertThat(sources)
          .as("Dockerfile.%s copies the fast-jar", variant)
          .containsAll(FAST_JAR);
      soft.assertThat(sources)
          .as("Dockerfile.%s copies only the fast-jar", variant)
          .isSubsetOf(FAST_JAR);
      for (Map.Entry<String, List<String>> service : services().entrySet()) {
        Path module = Repo.service(service.getKey());
        if (!service.getValue().contains(variant) || !Files.isDirectory(module)) {
          continue;
        }
        Path app = module.resolve("target/quarkus-app");
        if (Files.isDirectory(app)) {
          for (String source : sources) {
            Path path = app.resolve(source);
            soft.assertThat(
                    source.endsWith("/") ? Files.isDirectory(path) : Files.isRegularFile(path))
                .as("%s exists after mvn package (Dockerfile.%s)", path, variant)
                .isTrue();
          }
        }
        assertFastJarPackaging(soft, service.getKey());
      }
    }
    soft.assertAll();
  }

  @Test
  void theEntrypointRunsQuarkusRunJarAsNonRoot() throws IOException {
    for (String variant : VARIANTS) {
      List<String> lines = instructions(variant);
      String finalStage = String.join("\n", lines.subList(lastFrom(lines), lines.size()));
      assertThat(finalStage)
          .as("Dockerfile.%s: the final stage", variant)
          .contains("COPY target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar")
          .containsPattern("(?m)^ENTRYPOINT \\[.*-jar /deployments/quarkus-run\\.jar")
          .containsPattern("(?m)^USER 185$")
          .containsPattern("(?m)^EXPOSE ")
          .containsPattern("(?m)^ENV JAVA_OPTS=.*MaxRAMPercentage")
          .doesNotContainPattern("(?m)^RUN .*(apt-get|apk|microdnf|yum) ");
      assertThat(lines.get(lastFrom(lines)))
          .as("final base image of Dockerfile.%s", variant)
          .matches("FROM \\$\\{(JRE|CUDA)_IMAGE}");
    }
  }

  @Test
  void everyArgWithoutDefaultIsPinnedInVersionsEnv() throws IOException {
    Map<String, String> versions = versions();
    for (String variant : VARIANTS) {
      for (String line : instructions(variant)) {
        Matcher arg = ARG.matcher(line);
        if (arg.matches() && arg.group(2) == null) {
          assertThat(versions)
              .as("ARG %s of Dockerfile.%s", arg.group(1), variant)
              .containsKey(arg.group(1));
        }
      }
    }
    for (Map.Entry<String, String> image : versions.entrySet()) {
      if (image.getKey().endsWith("_IMAGE")) {
        assertThat(image.getValue())
            .as(image.getKey())
            .matches("[^:]+:[^:]+")
            .doesNotEndWith(":latest");
      }
    }
    // The GPU natives must be the release of the Java classes the app ships (root pom).
    String pom = Files.readString(Repo.root().resolve("pom.xml"));
    assertThat(pom)
        .contains("<onnxruntime.version>" + versions.get("ONNXRUNTIME_GPU_VERSION") + "<");
    assertThat(pom).contains("<pytorch-native.version>" + versions.get("PYTORCH_VERSION") + "<");
    assertThat(versions.get("CUDA_IMAGE")).contains(":12.").contains("cudnn");
  }

  @Test
  void everyQuarkusServiceHasAnImageAndTheBuildScriptReadsTheLists() throws IOException {
    Map<String, List<String>> services = services();
    assertThat(services).containsKeys("ingest", "trainer", "embed", "select", "label", "oracle");
    assertThat(services.get("trainer")).contains("jvm", "cuda");
    assertThat(services.get("embed")).contains("jvm", "cuda");
    try (Stream<Path> modules = Files.list(Repo.root().resolve("services"))) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        Path pom = module.resolve("pom.xml");
        if (Files.isRegularFile(pom) && Files.readString(pom).contains("quarkus-maven-plugin")) {
          assertThat(services)
              .as(
                  "services/%s is a Quarkus app: list it in docker/services.txt",
                  module.getFileName())
              .containsKey(module.getFileName().toString());
        }
      }
    }
    String script = Files.readString(Repo.docker().resolve("build-all.sh"));
    assertThat(script)
        .contains("services.txt")
        .contains("versions.env")
        .contains("Dockerfile.${variant}");
    assertThat(Files.isExecutable(Repo.docker().resolve("build-all.sh"))).isTrue();
    for (String variant : VARIANTS) {
      assertThat(Files.readString(Repo.docker().resolve("Dockerfile." + variant + ".dockerignore")))
          .contains("!target/quarkus-app");
    }
  }

  /** The service is packaged as a fast-jar: no other package type is configured. */
  private static void assertFastJarPackaging(SoftAssertions soft, String service)
      throws IOException {
    Path props = ServiceConfig.properties(service);
    String text = Files.isRegularFile(props) ? Files.readString(props) : "";
    Matcher type =
        Pattern.compile("(?m)^quarkus\\.package\\.jar\\.type\\s*=\\s*(\\S+)").matcher(text);
    if (type.find()) {
      soft.assertThat(type.group(1))
          .as("quarkus.package.jar.type of %s", service)
          .isEqualTo("fast-jar");
    }
    soft.assertThat(text)
        .as("%s: packaging", service)
        .doesNotContainPattern("(?m)^quarkus\\.package\\.jar\\.enabled\\s*=\\s*false");
    String pom = Files.readString(Repo.service(service).resolve("pom.xml"));
    soft.assertThat(pom)
        .as("services/%s/pom.xml builds a Quarkus app", service)
        .contains("quarkus-maven-plugin")
        .contains("<goal>build</goal>");
  }

  /** SOURCE, DEST of every COPY from the build context (not --from another stage). */
  private static List<String[]> copies(String variant) throws IOException {
    List<String[]> copies = new ArrayList<>();
    for (String line : instructions(variant)) {
      Matcher m = COPY.matcher(line);
      if (m.matches() && !m.group(1).contains("--from=")) {
        String[] parts = m.group(1).replaceAll("--[a-z]+=\\S+\\s+", "").trim().split("\\s+");
        assertThat(parts).as(line).hasSize(2);
        copies.add(parts);
      }
    }
    return copies;
  }

  /** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
  static List<String> instructions(String variant) throws IOException {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inHeredoc = false;
    String heredocEnd = null;
    for (String raw : Files.readAllLines(Repo.docker().resolve("Dockerfile." + variant))) {
      if (inHeredoc) {
        if (raw.strip().equals(heredocEnd)) {
          inHeredoc = false;
        }
        continue;
      }
      String line = raw.strip();
      if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      Matcher heredoc = Pattern.compile("<<-?'?([A-Z]+)'?").matcher(line);
      if (heredoc.find()) {
        inHeredoc = true;
        heredocEnd = heredoc.group(1);
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      result.add(current.toString().replaceAll("\\s+", " ").trim());
      current.setLength(0);
    }
    return result;
  }

  private static int lastFrom(List<String> lines) {
    int last = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        last = i;
      }
    }
    return last;
  }

  /** docker/services.txt: service name to variants, in file order. */
  static Map<String, List<String>> services() throws IOException {
    Map<String, List<String>> services = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Repo.docker().resolve("services.txt"))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      List<String> variants = List.of(parts).subList(1, parts.length);
      assertThat(VARIANTS).as("variants of %s", parts[0]).containsAll(variants);
      services.put(parts[0], variants);
    }
    return services;
  }

  /** docker/versions.env as a map. */
  static Map<String, String> versions() throws IOException {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Repo.docker().resolve("versions.env"))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      versions.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
    }
    return versions;
  }
}
