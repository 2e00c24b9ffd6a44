package io.alfer.cli.service;

import io.alfer.cli.stack.Daemon;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackJars;
import io.alfer.cli.stack.StackLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One alfer service run from its Quarkus fast-jar ({@code services/<name>/target/quarkus-app}) as a
 * background process of the local stack, configured through the environment from {@code stack.env},
 * on a free loopback port. Its log goes to {@code <ALFER_HOME>/logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final String name;
  private final Daemon daemon;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ServiceProcess(String name, Daemon daemon, int port) {
    this.name = name;
    this.daemon = daemon;
    this.port = port;
  }

  /**
   * Starts a service and waits until {@code /q/health/ready} answers 200.
   *
   * @param extraEnv further environment, e.g. the service's own settings
   */
  public static ServiceProcess start(
      String name,
      StackLayout layout,
      StackEnv env,
      Map<String, String> extraEnv,
      PrintWriter out) {
    ServiceProcess service = launch(name, layout, env, extraEnv, 0);
    service.awaitReady(out);
    return service;
  }

  /**
   * Starts several services at once and waits until every one is ready, printing one line per
   * service as it becomes ready. When one fails, the ones started are stopped again.
   *
   * @param extraEnv further environment per service name
   */
  public static List<ServiceProcess> startAll(
      List<String> names,
      StackLayout layout,
      StackEnv env,
      Map<String, Map<String, String>> extraEnv,
      PrintWriter out) {
    List<ServiceProcess> started = new ArrayList<>();
    try {
      for (String name : names) {
        started.add(launch(name, layout, env, extraEnv.getOrDefault(name, Map.of()), 0));
      }
      out.println("starting " + String.join(", ", names) + " ...");
      out.flush();
      long t0 = System.nanoTime();
      for (ServiceProcess service : started) {
        service.awaitReady(null);
        out.printf(
            "  %-8s ready at %s (%.0f s)%n",
            service.name, service.baseUri(), (System.nanoTime() - t0) / 1e9);
        out.flush();
      }
      return started;
    } catch (RuntimeException e) {
      for (ServiceProcess service : started) {
        service.close();
      }
      throw e;
    }
  }

  /**
   * Starts a service without waiting for it.
   *
   * @param port the HTTP port, or 0 for a free one
   */
  /** The one interface a locally started service listens on. */
  public static final String LOOPBACK = "127.0.0.1";

  public static ServiceProcess launch(
      String name, StackLayout layout, StackEnv env, Map<String, String> extraEnv, int port) {
    return launch(name, name, layout, env, extraEnv, port);
  }

  /**
   * Starts another replica of a service and waits until it is ready: a process of its own named
   * {@code replica} (its log {@code logs/<replica>.log}, its instance name {@code HOSTNAME}), with
   * the service's jar and settings — it shares the service's consumer groups, as a second pod
   * would.
   */
  public static ServiceProcess startReplica(
      String name,
      String replica,
      StackLayout layout,
      StackEnv env,
      Map<String, String> extraEnv,
      PrintWriter out) {
    Map<String, String> environment = new java.util.HashMap<>(extraEnv);
    environment.putIfAbsent("HOSTNAME", replica);
    ServiceProcess service = launch(name, replica, layout, env, environment, 0);
    service.awaitReady(out);
    return service;
  }

  private static ServiceProcess launch(
      String name,
      String replica,
      StackLayout layout,
      StackEnv env,
      Map<String, String> extraEnv,
      int port) {
    Path jar =
        StackJars.repositoryRoot()
            .resolve("services/" + name + "/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new StackException(
          "the "
              + name
              + " service is not built ("
              + jar
              + " is missing): run ./alfer again or"
              + " mvn -B -DskipTests install");
    }
    Daemon daemon = new Daemon(replica, layout, Duration.ofSeconds(20));
    daemon.stop(); // a leftover of an interrupted run
    if (port == 0) {
      port = freePort();
    }
    List<String> command = new ArrayList<>();
    command.add(StackJars.java());
    command.add(daemon.marker());
    command.add("-Xmx1g");
    // DJL (trainer) never downloads: its natives come from the jars; caches live under ALFER_HOME.
    command.add("-Dai.djl.offline=true");
    command.addAll(extraJvmOptions(name));
    command.add("-Dquarkus.http.port=" + port);
    // a local service answers this machine only (in Kubernetes the images listen on all interfaces)
    command.add("-Dquarkus.http.host=" + LOOPBACK);
    command.add("-jar");
    command.add(jar.toString());
    Map<String, String> environment = new java.util.HashMap<>();
    environment.put("ALFER_KAFKA_BOOTSTRAP", env.kafkaBootstrap());
    environment.put("ALFER_S3_ENDPOINT", env.s3().endpoint());
    environment.put("ALFER_S3_ACCESS_KEY", env.s3().accessKey());
    environment.put("ALFER_S3_SECRET_KEY", env.s3().secretKey());
    environment.put("ALFER_S3_BUCKET", env.s3().bucket());
    environment.put("ALFER_S3_REGION", env.s3().region());
    environment.put("DJL_CACHE_DIR", layout.home().resolve("djl-cache").toString());
    environment.put("ALFER_TRAINER_CACHE_DIR", layout.home().resolve("trainer-cache").toString());
    if (System.getenv("OMP_WAIT_POLICY") == null) {
      // Six JVMs and a broker share the local machine: PyTorch's and ONNX Runtime's OpenMP
      // threads must sleep while they wait instead of spinning on cores the others need.
      environment.put("OMP_WAIT_POLICY", "PASSIVE");
    }
    environment.putAll(extraEnv);
    daemon.start(command, environment);
    return new ServiceProcess(replica, daemon, port);
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public String name() {
    return name;
  }

  /** The HTTP port. */
  public int port() {
    return port;
  }

  /**
   * Waits until {@code /q/health/ready} answers 200.
   *
   * @param out where to draw progress dots, or null for none
   */
  public void awaitReady(PrintWriter out) {
    if (out != null) {
      out.print("starting " + name + " ");
      out.flush();
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest ready =
        HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    while (System.nanoTime() < deadline) {
      if (daemon.running().isEmpty()) {
        throw new StackException(
            name + " exited while starting; its log ends with:\n" + daemon.logTail(30));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          if (out != null) {
            out.println(" ready at " + baseUri());
            out.flush();
          }
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while starting " + name, e);
      }
      if (out != null) {
        out.print('.');
        out.flush();
      }
      Polling.pause(Duration.ofMillis(500));
    }
    throw new StackException(
        name
            + " was not ready within "
            + READY_TIMEOUT.toMinutes()
            + " minutes; its log ends"
            + " with:\n"
            + daemon.logTail(30));
  }

  /** Stops the service (SIGTERM, then SIGKILL after a grace period). */
  @Override
  public void close() {
    daemon.stop();
  }

  /** Kills the service at once (SIGKILL), as a crash would. */
  public void kill() {
    daemon.kill();
  }

  /** Whether the service's process is alive. */
  public boolean alive() {
    return daemon.running().isPresent();
  }

  /** The last lines of the service's log. */
  public String logTail(int lines) {
    return daemon.logTail(lines);
  }

  /**
   * JVM options for every service from {@code ALFER_SERVICE_JAVA_OPTS} (space separated; {@code
   * {service}} is replaced by the service's name), e.g. {@code
   * -XX:StartFlightRecording=filename=/tmp/{service}.jfr} to profile each service on its own.
   */
  static List<String> extraJvmOptions(String service) {
    String options = System.getenv("ALFER_SERVICE_JAVA_OPTS");
    if (options == null || options.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(options.trim().split("\\s+"))
        .map(o -> o.replace("{service}", service))
        .toList();
  }

  /** The console's environment: {@code ALFER_CONSOLE_<SERVICE>_URL} = each service's base URL. */
  public static Map<String, String> consoleEnv(Map<String, URI> urls) {
    Map<String, String> environment = new java.util.LinkedHashMap<>();
    urls.forEach(
        (name, url) ->
            environment.put(
                "ALFER_CONSOLE_" + name.toUpperCase(java.util.Locale.ROOT) + "_URL",
                url.toString()));
    return environment;
  }

  /** A free port on this machine, for a service started on no fixed port. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StackException("no free port: " + e.getMessage(), e);
    }
  }
}
