package io.alfer.testkit;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests: S3Proxy with its filesystem backend, run as a child
 * process ({@code java -jar}) on a free loopback port, with the local-stack credentials of {@link
 * S3Settings#local(String)} and the bucket created. Stopped, and its files deleted, by {@link
 * #close()} or at the latest when the JVM exits.
 *
 * <p>When the environment variable {@value #EXTERNAL_ENDPOINT_ENV} is set, no server is started:
 * that endpoint is used (credentials and bucket from {@code ALFER_TEST_S3_ACCESS_KEY}, {@code
 * ALFER_TEST_S3_SECRET_KEY}, {@code ALFER_TEST_S3_BUCKET}, else the local defaults).
 */
public final class S3ProxyServer implements AutoCloseable {
  /** Environment variable naming an external S3 endpoint. */
  public static final String EXTERNAL_ENDPOINT_ENV = "ALFER_TEST_S3_ENDPOINT";

  /** System property holding the endpoint of the JVM's shared server. */
  public static final String SHARED_PROPERTY = "alfer.testkit.s3.endpoint";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static S3ProxyServer shared;

  private final Map<String, String> env;
  private Process process;
  private Path workDir;
  private Thread shutdownHook;
  private S3Settings settings;
  private ObjectStore objectStore;

  /** A server configured from the process environment. */
  public S3ProxyServer() {
    this(System.getenv());
  }

  /** A server configured from {@code env} (see {@value #EXTERNAL_ENDPOINT_ENV}). */
  public S3ProxyServer(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * The server of this JVM: started on first use, stopped when the JVM exits. One per JVM even
   * across class loaders (Quarkus loads tests anew when it restarts an application): the first one
   * records its endpoint in the system property {@value #SHARED_PROPERTY}, later ones reuse it.
   */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      String running = System.getProperty(SHARED_PROPERTY);
      S3ProxyServer server =
          new S3ProxyServer(
              running == null ? System.getenv() : Map.of(EXTERNAL_ENDPOINT_ENV, running));
      server.start();
      if (running == null && !server.external()) {
        System.setProperty(SHARED_PROPERTY, server.settings().endpoint());
      }
      shared = server;
    }
    return shared;
  }

  /**
   * Starts the server (or connects to the external one), waits until it answers and creates the
   * bucket. Calling it again returns the same settings.
   */
  public synchronized S3Settings start() {
    if (settings != null) {
      return settings;
    }
    S3Settings target = external() ? externalSettings() : launch();
    ObjectStore store = new ObjectStore(target);
    try {
      store.ensureBucket();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    settings = target;
    objectStore = store;
    return target;
  }

  /** Endpoint, credentials and bucket of the running server. */
  public synchronized S3Settings settings() {
    if (settings == null) {
      throw new IllegalStateException("S3ProxyServer is not started: call start() first");
    }
    return settings;
  }

  /** A client of the running server's bucket. */
  public synchronized ObjectStore objectStore() {
    settings();
    return objectStore;
  }

  /** Whether this uses an external endpoint rather than a server of its own. */
  public boolean external() {
    String endpoint = env.get(EXTERNAL_ENDPOINT_ENV);
    return endpoint != null && !endpoint.isBlank();
  }

  /** The S3Proxy process, while one runs. */
  public synchronized Optional<ProcessHandle> process() {
    return Optional.ofNullable(process).map(Process::toHandle);
  }

  /** Stops the server process and deletes its files; an external endpoint is left alone. */
  @Override
  public synchronized void close() {
    settings = null;
    objectStore = null;
    stopProcess();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or about to run: nothing to remove
      }
      shutdownHook = null;
    }
  }

  private S3Settings externalSettings() {
    return new S3Settings(
        env.get(EXTERNAL_ENDPOINT_ENV).strip(),
        env.getOrDefault("ALFER_TEST_S3_ACCESS_KEY", S3Settings.DEFAULT_ACCESS_KEY),
        env.getOrDefault("ALFER_TEST_S3_SECRET_KEY", S3Settings.DEFAULT_SECRET_KEY),
        env.getOrDefault("ALFER_TEST_S3_BUCKET", S3Settings.DEFAULT_BUCKET),
        S3Settings.DEFAULT_REGION);
  }

  private S3Settings launch() {
    Path jar = S3ProxyJar.locate();
    String endpoint = "http://127.0.0.1:" + Ports.freePort();
    S3Settings local = S3Settings.local(endpoint);
    try {
      workDir = Files.createTempDirectory("alfer-s3proxy-");
      Path blobs = Files.createDirectory(workDir.resolve("blobs"));
      Path config = workDir.resolve("s3proxy.properties");
      Files.writeString(config, local.s3ProxyProperties(blobs), StandardCharsets.UTF_8);
      shutdownHook = new Thread(this::stopProcess, "alfer-s3proxy-stop");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      spawn(jar, config, endpoint);
      return local;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot start S3Proxy: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts the process on the configuration in the work folder and waits until it answers. */
  private void spawn(Path jar, Path config, String endpoint) throws IOException {
    Path log = workDir.resolve("s3proxy.log");
    process =
        new ProcessBuilder(command(jar, config))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Polling.until(
        "starting S3Proxy at " + endpoint,
        STARTUP_TIMEOUT,
        () -> answers(endpoint),
        () -> !process.isAlive(),
        () -> "process " + describeExit() + "; log:\n" + tail(log));
  }

  /**
   * Kills the server's process at once (SIGKILL), as an outage would: its objects and its port are
   * kept, and clients get "connection refused" until {@link #restart()}.
   *
   * @throws IllegalStateException for an external endpoint or a server that is not running
   */
  public synchronized void kill() {
    requireOwnProcess();
    try {
      process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing S3Proxy", e);
    }
    if (process.isAlive()) {
      throw new IllegalStateException("S3Proxy (pid " + process.pid() + ") outlived SIGKILL");
    }
  }

  /**
   * Starts the server again after {@link #kill()}: the same endpoint, credentials and objects;
   * waits until it answers.
   */
  public synchronized void restart() {
    requireOwnProcess();
    if (process.isAlive()) {
      throw new IllegalStateException("S3Proxy is running: kill() it first");
    }
    try {
      spawn(S3ProxyJar.locate(), workDir.resolve("s3proxy.properties"), settings.endpoint());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy again: " + e.getMessage(), e);
    }
  }

  private void requireOwnProcess() {
    if (external() || settings == null || process == null) {
      throw new IllegalStateException("no S3Proxy process of this server is started");
    }
  }

  private static List<String> command(Path jar, Path config) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toString());
    command.add("--properties");
    command.add(config.toString());
    return command;
  }

  private static boolean answers(String endpoint) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(2)).build();
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String describeExit() {
    return process.isAlive() ? "still running" : "exited with code " + process.exitValue();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private synchronized void stopProcess() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (workDir != null) {
      deleteRecursively(workDir);
      workDir = null;
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
