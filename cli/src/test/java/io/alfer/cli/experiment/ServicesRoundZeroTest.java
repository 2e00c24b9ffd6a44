package io.alfer.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.alfer.al.campaign.CampaignRules;
import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackJars;
import io.alfer.cli.stack.StackLayout;
import io.alfer.core.api.CampaignRequest;
import io.alfer.core.storage.ObjectStore;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Profile;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.CatalogReader;
import io.alfer.experiment.data.DatasetCatalog;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.data.SyntheticImport;
import io.alfer.experiment.engine.ClassifierProbes;
import io.alfer.experiment.engine.ExperimentRunner;
import io.alfer.experiment.engine.InProcessCellRunner;
import io.alfer.experiment.pretrain.PretrainCache;
import io.alfer.experiment.results.StateStore;
import io.alfer.experiment.services.CampaignRequests;
import io.alfer.ml.data.ShardCache;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import io.alfer.testkit.EmbeddedKafka;
import io.alfer.testkit.S3ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In process and through the services, the same seed picks the same initial images: the campaign
 * request the services mode sends goes to the real select service (its built jar, on the test kit's
 * Kafka and S3), and its round 0 is compared with the in-process runner's. Runs when the select
 * service is built ({@code services/select/target/quarkus-app}), as in the full build.
 */
class ServicesRoundZeroTest {
  private static final Path SELECT_JAR =
      StackJars.repositoryRoot().resolve("services/select/target/quarkus-app/quarkus-run.jar");

  /** Request bodies leave null values out, as the experiment's services client sends them. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  @TempDir Path tmp;

  @Test
  void theSelectServiceAndTheInProcessRunnerPickTheSameInitialImages() throws Exception {
    assumeTrue(
        Files.isRegularFile(SELECT_JAR),
        "the select service is not built (" + SELECT_JAR + "); the full build builds it first");
    String bootstrap = EmbeddedKafka.shared().bootstrapServers();
    ObjectStore objects = S3ProxyServer.shared().objectStore();
    String dataset = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    new SyntheticImport(bootstrap, objects).importInto(dataset, 200, 5, line -> {});
    DatasetCatalog catalog =
        new CatalogReader(bootstrap, Duration.ofSeconds(60)).read(dataset).orElseThrow();
    ExperimentData data =
        ExperimentData.load(
            catalog,
            objects,
            new ShardStore(BlobStore.of(objects), new ShardCache(tmp.resolve("cache"))),
            0);
    Protocol protocol = Profile.SMOKE.protocol().toBuilder().dataset(dataset).imageSize(0).build();
    long seed = 11;
    Cell cell = new Cell("entropy", Mode.SCRATCH, seed);
    List<String> inProcess;
    try (InProcessCellRunner runner =
        new InProcessCellRunner(
            protocol,
            data,
            new PretrainCache(objects),
            new StateStore(tmp.resolve("results")),
            ClassifierProbes.ofMl())) {
      inProcess = runner.randomInitial(seed);
    }
    assertThat(inProcess)
        .hasSize(protocol.initialCount(catalog.poolSize()))
        .isEqualTo(
            CampaignRules.initialRandom(
                    catalog.poolIds(), protocol.initialCount(catalog.poolSize()), seed)
                .ids());

    StringWriter log = new StringWriter();
    try (ServiceProcess select =
        ServiceProcess.start(
            "select",
            new StackLayout(tmp.resolve("home")),
            new StackEnv(bootstrap, S3ProxyServer.shared().settings()),
            Map.of(),
            new PrintWriter(log, true))) {
      assertListensOnLoopbackOnly(select.port());
      String id =
          CampaignRequests.campaignId(ExperimentRunner.identity(protocol, data, "services"), cell);
      CampaignRequest body =
          CampaignRequests.body(
              id,
              protocol,
              cell,
              protocol.parametersOf(cell.strategy()),
              null,
              data.poolSize(),
              List.of(CampaignRequests.ORACLE));
      HttpResponse<String> created = post(select.baseUri().resolve("/campaigns"), body);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      JsonNode campaign = awaitRoundZero(select.baseUri().resolve("/campaigns/" + id));
      JsonNode spec = campaign.get("spec");
      assertThat(spec.get("poolSize").intValue()).isEqualTo(catalog.poolSize());
      assertThat(spec.get("resolvedInitialSize").intValue())
          .isEqualTo(protocol.initialCount(catalog.poolSize()));
      List<String> picked = new ArrayList<>();
      campaign
          .get("rounds")
          .get(0)
          .get("selected")
          .forEach(p -> picked.add(p.get("imageId").textValue()));
      assertThat(picked).isEqualTo(inProcess);

      post(select.baseUri().resolve("/campaigns/" + id + "/cancel"), Map.of());
    }
  }

  private static HttpResponse<String> post(URI uri, Object body) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Polls the campaign (bounded) until round 0 holds its selection. */
  private static JsonNode awaitRoundZero(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Reply selected =
        await("round 0 of " + uri + " selected")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(uri).GET().build(),
                          HttpResponse.BodyHandlers.ofString());
                  return new Reply(r.statusCode(), r.body());
                },
                Reply::roundZeroSelected);
    return JSON.readTree(selected.body());
  }

  /** An answer of the select service, as a timeout shows it. */
  private record Reply(int status, String body) {
    boolean roundZeroSelected() {
      if (status != 200) {
        return false;
      }
      try {
        return JSON.readTree(body).path("rounds").path(0).path("selected").size() > 0;
      } catch (java.io.IOException e) {
        return false;
      }
    }
  }

  /**
   * A service started by the command line answers on 127.0.0.1 and refuses connections on this
   * machine's other addresses (when it has any).
   */
  private static void assertListensOnLoopbackOnly(int port) throws Exception {
    try (Socket loopback = new Socket()) {
      loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    }
    List<InetAddress> others =
        Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> !a.isLoopbackAddress() && a instanceof Inet4Address)
            .toList();
    for (InetAddress other : others) {
      try (Socket socket = new Socket()) {
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other, port), 5_000))
            .as("a local service must not answer on %s", other)
            .isInstanceOf(ConnectException.class);
      }
    }
  }
}
