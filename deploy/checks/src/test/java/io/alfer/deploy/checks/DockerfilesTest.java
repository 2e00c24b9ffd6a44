package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfiles package what `mvn package` produces, without a Docker engine: every file a
 * Dockerfile copies from the build context is part of a Quarkus fast-jar (checked against
 * services/NAME/target/quarkus-app of every service where it was built, and against the packaging
 * settings otherwise), the entrypoint runs quarkus-run.jar (Quarkus' launcher of the service), the
 * user is not root, every base image and native library version comes from docker/versions.env, and
 * docker/build-all.sh builds, for every service, the images its Deployments run, with the port they
 * use.
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
    Set<String> checked = new TreeSet<>();
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
          // The entrypoint runs quarkus-run.jar: Quarkus' launcher of this service's app.
          Path runJar = app.resolve("quarkus-run.jar");
          if (Files.isRegularFile(runJar)) {
            try (JarFile jar = new JarFile(runJar.toFile())) {
              soft.assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                  .as("Main-Class of %s", runJar)
                  .isEqualTo("io.quarkus.bootstrap.runner.QuarkusEntryPoint");
            }
            soft.assertThat(app.resolve("quarkus/quarkus-application.dat"))
                .as("the app %s launches", runJar)
                .isRegularFile();
            checked.add(service.getKey());
          }
        }
        assertFastJarPackaging(soft, service.getKey());
      }
    }
    soft.assertAll();
    // Which fast-jars were there to check against (mvn package of the services, not part of
    // `mvn -pl deploy/checks -am verify`): printed, so that a run says what it covered.
    System.out.println("fast-jars checked against the Dockerfiles: " + checked);
  }

  @Test
  void theBuildPlanMatchesTheDeployments() throws IOException, InterruptedException {
    List<String[]> plan = new ArrayList<>();
    for (String line :
        run(List.of(Repo.docker().resolve("build-all.sh").toString(), "--dry-run"), Map.of())) {
      if (line.startsWith("image ")) {
        plan.add(line.split(" "));
      }
    }
    Manifests base = Kustomize.render(Repo.k8s().resolve("base"));
    Manifests gpu = Kustomize.overlay("gpu");
    SoftAssertions soft = new SoftAssertions();
    for (String service : Services.modules(Repo.root())) {
      var deployment = base.find(Deployment.class, service);
      if (deployment.isEmpty()) {
        continue; // ServicesTest says what is missing
      }
      Container c = deployment.get().getSpec().getTemplate().getSpec().getContainers().get(0);
      int http =
          c.getPorts().stream()
              .filter(p -> "http".equals(p.getName()))
              .findFirst()
              .orElseThrow()
              .getContainerPort();
      boolean needsGpu =
          "gpu".equals(deployment.get().getMetadata().getLabels().get("alfer.io/accelerator"));
      for (String variant : needsGpu ? List.of("jvm", "cuda") : List.of("jvm")) {
        var line =
            plan.stream().filter(l -> l[1].equals(service) && l[2].equals(variant)).findFirst();
        soft.assertThat(line)
            .as("build-all.sh builds the %s image of %s", variant, service)
            .isPresent();
        line.ifPresent(
            l -> {
              soft.assertThat(Integer.parseInt(l[4]))
                  .as("%s: the image exposes the Deployment's http port", service)
                  .isEqualTo(http);
              Manifests overlay = variant.equals("cuda") ? gpu : base;
              soft.assertThat(
                      overlay
                          .find(Deployment.class, service)
                          .orElseThrow()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage())
                  .as("%s: the %s Deployment runs the image build-all.sh makes", service, variant)
                  .isEqualTo(l[3]);
            });
      }
    }
    soft.assertAll();
  }

  @Test
  void buildAllHandsTheVersionsThePortAndTheGpuNativesToDocker(@TempDir Path tree)
      throws IOException, InterruptedException {
    // A copy of docker/ beside fake packaged services, with docker and mvn replaced by scripts
    // that log their arguments (mvn also "fetches" the jar): what build-all.sh would run.
    Path docker = Files.createDirectories(tree.resolve("docker"));
    for (String f :
        List.of(
            "build-all.sh", "services.txt", "versions.env", "Dockerfile.jvm", "Dockerfile.cuda")) {
      Files.copy(Repo.docker().resolve(f), docker.resolve(f));
    }
    docker.resolve("build-all.sh").toFile().setExecutable(true);
    for (String service : List.of("ingest", "embed")) {
      Path module = tree.resolve("services").resolve(service);
      Files.createDirectories(module.resolve("target/quarkus-app"));
      Files.writeString(module.resolve("target/quarkus-app/quarkus-run.jar"), "");
      Files.createDirectories(module.resolve("src/main/resources"));
      Files.copy(
          ServiceConfig.properties(service),
          module.resolve("src/main/resources/application.properties"));
    }
    Path log = tree.resolve("calls.log");
    Path fakeDocker = tree.resolve("fake-docker");
    Files.writeString(fakeDocker, "#!/bin/sh\necho \"docker $*\" >> " + log + "\n");
    Path fakeMvn = tree.resolve("fake-mvn");
    Files.writeString(
        fakeMvn,
        "#!/bin/sh\necho \"mvn $*\" >> "
            + log
            + "\n"
            + "for a in \"$@\"; do case \"$a\" in -DoutputDirectory=*) d=\"${a#-DoutputDirectory=}\";;"
            + " -Dartifact=*) v=\"${a##*:}\";; esac; done\n"
            + "mkdir -p \"$d\" && touch \"$d/onnxruntime_gpu-$v.jar\"\n");
    fakeDocker.toFile().setExecutable(true);
    fakeMvn.toFile().setExecutable(true);

    List<String> out =
        run(
            List.of(docker.resolve("build-all.sh").toString()),
            Map.of("DOCKER", fakeDocker.toString(), "MVN", fakeMvn.toString()));

    assertThat(out).contains("built 3 image(s)");
    List<String> calls = Files.readAllLines(log);
    Map<String, String> versions = versions();
    String ortVersion = versions.get("ONNXRUNTIME_GPU_VERSION");
    assertThat(calls.stream().filter(c -> c.startsWith("mvn ")))
        .as("the onnxruntime_gpu jar is fetched once, with Maven, at the pinned version")
        .singleElement()
        .asString()
        .contains(
            "dependency:copy", "-N", "com.microsoft.onnxruntime:onnxruntime_gpu:" + ortVersion);
    List<String> builds = calls.stream().filter(c -> c.startsWith("docker build")).toList();
    assertThat(builds).hasSize(3);
    for (String build : builds) {
      for (var v : versions.entrySet()) {
        assertThat(build).contains("--build-arg " + v.getKey() + "=" + v.getValue());
      }
    }
    assertThat(builds)
        .anySatisfy(
            b ->
                assertThat(b)
                    .contains(
                        "Dockerfile.jvm", "HTTP_PORT=8081", "-t alfer/alfer-ingest:0.1.0-SNAPSHOT ")
                    .endsWith(tree.resolve("services/ingest").toString()))
        .anySatisfy(
            b ->
                assertThat(b)
                    .contains(
                        "Dockerfile.cuda",
                        "--build-context onnxruntime-gpu="
                            + tree.resolve("target/docker/onnxruntime-gpu"),
                        "-t alfer/alfer-embed:0.1.0-SNAPSHOT-cuda ")
                    .endsWith(tree.resolve("services/embed").toString()));
    assertThat(out).anyMatch(l -> l.contains("skip trainer"));
  }

  @Test
  void theImagesNameNoRegistryAndTheCudaImageGetsTheGpuNativesFromTheBuildContext()
      throws IOException {
    for (String file :
        List.of("Dockerfile.jvm", "Dockerfile.cuda", "build-all.sh", "versions.env")) {
      assertThat(Files.readString(Repo.docker().resolve(file)))
          .as("%s downloads nothing by address (Maven and DJL fetch what is needed)", file)
          .doesNotContainPattern("https?://");
    }
    assertThat(instructions("cuda"))
        .contains(
            "COPY --from=onnxruntime-gpu onnxruntime_gpu-${ONNXRUNTIME_GPU_VERSION}.jar"
                + " /tmp/onnxruntime_gpu.jar")
        .noneMatch(l -> l.startsWith("ADD "));
  }

  /** Runs a command with extra environment variables; its output lines, failing on exit != 0. */
  private static List<String> run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
        .as("%s finished", command)
        .isTrue();
    assertThat(p.exitValue()).as("%s exited with 0:\n%s", command, out).isZero();
    return out.lines().toList();
  }

  @Test
  void theEntrypointRunsQuarkusRunJarAsNonRoot() throws IOException {
    for (String variant : VARIANTS) {
      List<String> lines = instructions(variant);
      String finalStage = String.join("\n", lines.subList(lastFrom(lines), lines.size()));
      assertThat(finalStage)
          .as("Dockerfile.%s: the final stage", variant)
          .contains("COPY target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar")
          .containsPattern(
              "(?m)^ENTRYPOINT \\[.*exec java \\$\\{JAVA_OPTS} \\$\\{JAVA_OPTS_APPEND} -jar"
                  + " /deployments/quarkus-run\\.jar")
          .containsPattern("(?m)^ENV .*JAVA_OPTS_APPEND=")
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
