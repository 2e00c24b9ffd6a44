package io.alfer.cli.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jars the stack runs, laid out by the cli module's build next to its classes: {@code
 * target/lib/} (Kafka and the CLI's libraries) and {@code target/stack/s3proxy.jar}.
 *
 * @param lib folder of the Kafka broker's classpath
 * @param s3proxyJar the S3Proxy jar-with-dependencies
 */
public record StackJars(Path lib, Path s3proxyJar) {

  /** The jars of the build this CLI runs from; fails naming what is missing and how to build it. */
  public static StackJars ofThisBuild() {
    Path target = buildOutput();
    StackJars jars = new StackJars(target.resolve("lib"), target.resolve("stack/s3proxy.jar"));
    if (!Files.isDirectory(jars.lib()) || !Files.isRegularFile(jars.s3proxyJar())) {
      throw new StackException(
          "the stack's jars are missing ("
              + jars.lib()
              + ", "
              + jars.s3proxyJar()
              + "): build them with ./alfer or mvn -B -DskipTests install -pl cli -am");
    }
    return jars;
  }

  /** The java launcher of the JVM this CLI runs on; the stack's JVMs use the same. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The repository root this CLI was built in ({@code cli/target/..}/..). */
  public static Path repositoryRoot() {
    return buildOutput().getParent().getParent();
  }

  /**
   * The {@code target} folder: the system property {@code alfer.cli.target} when set (tests of
   * other modules that start the stack), else the parent of the CLI jar or of {@code
   * target/classes}.
   */
  private static Path buildOutput() {
    String configured = System.getProperty("alfer.cli.target");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    try {
      Path code =
          Path.of(StackJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.toAbsolutePath().getParent();
    } catch (URISyntaxException e) {
      throw new StackException("cannot tell where the CLI runs from: " + e.getMessage(), e);
    }
  }
}
