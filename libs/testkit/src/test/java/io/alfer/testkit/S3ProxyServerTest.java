package io.alfer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import io.alfer.core.storage.StorageException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ProxyServerTest {

  @Test
  void storesReadsPresignsAndStopsItsProcess() throws Exception {
    ProcessHandle handle;
    try (S3ProxyServer server = new S3ProxyServer(Map.of())) {
      S3Settings settings = server.start();
      assertThat(settings.endpoint()).startsWith("http://127.0.0.1:");
      assertThat(settings.accessKey()).isEqualTo(S3Settings.DEFAULT_ACCESS_KEY);
      handle = server.process().orElseThrow();
      assertThat(handle.isAlive()).isTrue();

      ObjectStore store = server.objectStore();
      assertThat(store.bucketReachable()).isTrue();
      byte[] image = "not really a png".getBytes(StandardCharsets.UTF_8);
      store.put("images/ab/abc.png", image, "image/png");

      assertThat(store.get("images/ab/abc.png")).isEqualTo(image);
      assertThat(store.exists("images/ab/missing.png")).isFalse();
      assertThat(store.listKeys("images/")).containsExactly("images/ab/abc.png");

      String url = store.presignGet("images/ab/abc.png", Duration.ofMinutes(5));
      HttpResponse<byte[]> presigned = fetch(url);
      assertThat(presigned.statusCode()).isEqualTo(200);
      assertThat(presigned.body()).isEqualTo(image);

      HttpResponse<byte[]> unsigned = fetch(settings.endpoint() + "/alfer/images/ab/abc.png");
      assertThat(unsigned.statusCode()).isEqualTo(403);
    }
    assertThat(handle.isAlive()).isFalse();
  }

  @Test
  void aKilledServerRefusesUntilRestartedOnTheSameEndpointWithItsObjects() {
    try (S3ProxyServer server = new S3ProxyServer(Map.of())) {
      String endpoint = server.start().endpoint();
      ObjectStore store = server.objectStore();
      store.put("models/m/head.f32", new byte[] {7}, "application/octet-stream");

      server.kill();

      assertThat(server.process().orElseThrow().isAlive()).isFalse();
      assertThat(store.bucketReachable()).isFalse();
      assertThatThrownBy(() -> store.get("models/m/head.f32"))
          .isInstanceOf(StorageException.class)
          .hasRootCauseInstanceOf(java.net.ConnectException.class);

      server.restart();

      assertThat(server.settings().endpoint()).isEqualTo(endpoint);
      assertThat(store.get("models/m/head.f32")).containsExactly(7);
    }
  }

  @Test
  void externalEndpointIsUsedWithoutStartingAProcess() {
    S3Settings running = S3ProxyServer.shared().settings();
    try (S3ProxyServer external =
        new S3ProxyServer(Map.of(S3ProxyServer.EXTERNAL_ENDPOINT_ENV, running.endpoint()))) {
      assertThat(external.start().endpoint()).isEqualTo(running.endpoint());
      assertThat(external.external()).isTrue();
      assertThat(external.process()).isEmpty();
      external.objectStore().put("reports/x.txt", new byte[] {1}, "text/plain");
    }
    assertThat(S3ProxyServer.shared().objectStore().get("reports/x.txt")).containsExactly(1);
  }

  @Test
  void s3TestResourceHandsTheSharedServerToQuarkus() {
    Map<String, String> config = new S3TestResource().start();
    S3Settings settings = S3TestResource.settings();

    assertThat(config)
        .containsEntry("alfer.s3.endpoint", settings.endpoint())
        .containsEntry("alfer.s3.access-key", "alfer")
        .containsEntry("alfer.s3.secret-key", "alfer-secret-key")
        .containsEntry("alfer.s3.bucket", "alfer")
        .containsEntry("alfer.s3.region", "us-east-1");
    assertThat(S3TestResource.objectStore().bucketReachable()).isTrue();
    // what another class loader's shared() finds and reuses
    assertThat(System.getProperty(S3ProxyServer.SHARED_PROPERTY)).isEqualTo(settings.endpoint());
  }

  private static HttpResponse<byte[]> fetch(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
