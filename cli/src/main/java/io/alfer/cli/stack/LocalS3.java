package io.alfer.cli.stack;

import io.alfer.core.storage.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3-compatible server: S3Proxy with its filesystem backend in its own JVM, listening on
 * 127.0.0.1 with the local-stack credentials, its blobs under {@code ALFER_HOME/s3}.
 */
final class LocalS3 {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final StackLayout layout;
  private final Daemon daemon;

  LocalS3(StackLayout layout) {
    this.layout = layout;
    this.daemon = new Daemon("s3proxy", layout, STOP_GRACE);
  }

  Daemon daemon() {
    return daemon;
  }

  static S3Settings settings(int port) {
    return S3Settings.local("http://127.0.0.1:" + port);
  }

  /** Writes the configuration and starts the server. */
  Process launch(StackJars jars, int port) {
    S3Settings settings = settings(port);
    Path blobs = layout.s3().resolve("blobs");
    Path config = layout.s3().resolve("s3proxy.properties");
    try {
      Files.createDirectories(blobs);
      Files.writeString(config, settings.s3ProxyProperties(blobs), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write " + config + ": " + e.getMessage(), e);
    }
    return daemon.start(
        List.of(
            StackJars.java(),
            "-Xmx256m",
            daemon.marker(),
            "-jar",
            jars.s3proxyJar().toString(),
            "--properties",
            config.toString()));
  }

  /** Waits until the server answers HTTP. */
  void awaitReady(Process process, int port, Waiter waiter) {
    String endpoint = settings(port).endpoint();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    waiter.await(
        "S3 on " + endpoint,
        READY_TIMEOUT,
        () -> answers(client, endpoint),
        () -> !process.isAlive(),
        () -> "see " + daemon.logFile() + ":\n" + daemon.logTail(20));
  }

  private static boolean answers(HttpClient client, String endpoint) {
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
}
