package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.deploy.checks.Monitoring.Endpoint;
import io.alfer.deploy.checks.Monitoring.PodMonitor;
import io.alfer.deploy.checks.Monitoring.PrometheusRule;
import io.alfer.deploy.checks.Monitoring.Rule;
import io.alfer.deploy.checks.Monitoring.ServiceMonitor;
import io.alfer.deploy.checks.NetworkPolicies.Pod;
import io.alfer.deploy.checks.Workloads.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Monitoring (components/monitoring, in overlays/prod): the Grafana dashboards are valid, one per
 * service and one for the loop, shipped to Grafana's sidecar; every panel and every alert reads
 * metrics that something really exports ({@link MetricCatalog}); every alert has a duration, a
 * severity, a summary, a description and its section in deploy/RUNBOOK.md; every service, Kafka and
 * MinIO are scraped where their pods and ports really are, and the network policies let Prometheus
 * (and nobody else) reach them.
 */
class MonitoringTest {
  static final Path COMPONENT = Repo.k8s().resolve("components/monitoring");
  static final Path DASHBOARDS = COMPONENT.resolve("dashboards");
  static final Path RUNBOOK = Repo.root().resolve("deploy/RUNBOOK.md");
  static final String RUNBOOK_REF = "deploy/RUNBOOK.md#";

  /**
   * Services whose dashboard exists before their module reaches this branch (console: written in
   * another branch, standard Quarkus HTTP and JVM metrics only).
   */
  static final Set<String> UPCOMING = Set.of("console");

  static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  /** The port Strimzi gives the metrics of the pods it runs (Kafka nodes, Kafka Exporter). */
  static final String STRIMZI_METRICS_PORT = "tcp-prometheus";

  static final int STRIMZI_METRICS_PORT_NUMBER = 9404;

  /** The labels of the Kafka nodes Strimzi runs for the Kafka cluster alfer. */
  static final Map<String, String> KAFKA_NODE =
      Map.of(
          "strimzi.io/cluster", "alfer",
          "strimzi.io/kind", "Kafka",
          "strimzi.io/name", "alfer-kafka");

  /** The labels of the Kafka Exporter pod Strimzi runs for the Kafka cluster alfer. */
  static final Map<String, String> KAFKA_EXPORTER =
      Map.of(
          "strimzi.io/cluster", "alfer",
          "strimzi.io/kind", "Kafka",
          "strimzi.io/name", "alfer-kafka-exporter");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

  /** The overlays that monitor (render the component's PrometheusRule). */
  static List<String> monitored() {
    return Kustomize.overlays().stream()
        .filter(o -> !Kustomize.overlay(o).all(PrometheusRule.class).isEmpty())
        .toList();
  }

  // ---------------------------------------------------------------- where the component is

  @Test
  void prodMonitorsAndTheLocalOverlayNeedsNoPrometheusOperator() {
    assertThat(monitored()).contains("prod");
    assertThat(Kustomize.overlay("local").all())
        .as("local applies on a cluster without the prometheus-operator's CRDs")
        .noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com/"));
    assertThat(Kustomize.overlay("local").all(Kafka.class).get(0).getSpec().getKafkaExporter())
        .as("local runs no Kafka Exporter")
        .isNull();
  }

  // ---------------------------------------------------------------- dashboards

  @Test
  void dashboardsAreGrafanaJsonWithUniqueUidsAndPanels() {
    Map<String, JsonNode> dashboards = dashboards();
    assertThat(dashboards).isNotEmpty();
    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    SoftAssertions soft = new SoftAssertions();
    for (var e : dashboards.entrySet()) {
      String file = e.getKey();
      JsonNode d = e.getValue();
      String uid = d.path("uid").asText("");
      soft.assertThat(uid)
          .as("%s: uid (Grafana: at most 40 letters, digits, - and _)", file)
          .matches("[A-Za-z0-9_-]{1,40}");
      soft.assertThat(uids.add(uid)).as("%s: uid %s is unique", file, uid).isTrue();
      soft.assertThat(file)
          .as("the file of dashboard %s is named after its uid", uid)
          .isEqualTo(uid + ".json");
      String title = d.path("title").asText("");
      soft.assertThat(title).as("%s: title", file).isNotBlank();
      soft.assertThat(titles.add(title)).as("%s: title %s is unique", file, title).isTrue();
      soft.assertThat(d.path("tags").toString()).as("%s: tagged alfer", file).contains("\"alfer\"");
      soft.assertThat(d.path("schemaVersion").asInt()).as("%s: schemaVersion", file).isPositive();
      JsonNode datasource = variable(d, "datasource");
      soft.assertThat(datasource.path("type").asText())
          .as("%s: a datasource variable", file)
          .isEqualTo("datasource");
      soft.assertThat(datasource.path("query").asText())
          .as("%s: of Prometheus", file)
          .isEqualTo("prometheus");

      Set<Integer> ids = new HashSet<>();
      int queries = 0;
      for (JsonNode p : panels(d)) {
        String where = file + " panel '" + p.path("title").asText() + "'";
        soft.assertThat(ids.add(p.path("id").asInt(-1))).as("%s: unique id", where).isTrue();
        soft.assertThat(p.path("title").asText("")).as("%s: title", where).isNotBlank();
        JsonNode grid = p.path("gridPos");
        soft.assertThat(grid.path("x").asInt(-1) + grid.path("w").asInt(99))
            .as("%s: within the 24 columns", where)
            .isBetween(1, 24);
        if (p.path("type").asText().equals("row")) {
          continue;
        }
        soft.assertThat(p.path("datasource").path("uid").asText())
            .as("%s: the dashboard's datasource variable", where)
            .isEqualTo("${datasource}");
        soft.assertThat(p.path("targets").size()).as("%s: has queries", where).isPositive();
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : p.path("targets")) {
          soft.assertThat(t.path("expr").asText("")).as("%s: expr", where).isNotBlank();
          soft.assertThat(refIds.add(t.path("refId").asText("")))
              .as("%s: unique refId", where)
              .isTrue();
          queries++;
        }
      }
      soft.assertThat(queries).as("%s: queries", file).isPositive();
    }
    soft.assertAll();
  }

  @Test
  void everyServiceHasItsDashboardAndTheLoopHasOne() {
    Set<String> expected = new TreeSet<>();
    expected.add("alfer-loop");
    Services.modules(Repo.root()).forEach(s -> expected.add("alfer-" + s));
    UPCOMING.forEach(s -> expected.add("alfer-" + s));
    Set<String> uids = new TreeSet<>();
    dashboards().values().forEach(d -> uids.add(d.path("uid").asText()));
    assertThat(uids)
        .as(
            "a dashboard alfer-<service>.json in %s per service (copy one: HTTP, JVM and the"
                + " service's own meters), and alfer-loop.json",
            Repo.root().relativize(DASHBOARDS))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("monitored")
  void everyDashboardIsShippedToGrafanasSidecar(String overlay) throws IOException {
    Manifests manifests = Kustomize.overlay(overlay);
    List<ConfigMap> shipped =
        manifests.all(ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getLabels() != null)
            .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard")))
            .toList();
    Map<String, String> byKey = new LinkedHashMap<>();
    for (ConfigMap c : shipped) {
      assertThat(c.getData())
          .as("ConfigMap %s: one dashboard", c.getMetadata().getName())
          .hasSize(1);
      byKey.putAll(c.getData());
    }
    for (String file : dashboards().keySet()) {
      assertThat(byKey)
          .as("a ConfigMap labelled grafana_dashboard=1 holds %s", file)
          .containsKey(file);
      assertThat(byKey.get(file).strip())
          .as("%s as shipped", file)
          .isEqualTo(Files.readString(DASHBOARDS.resolve(file)).strip());
    }
    assertThat(byKey.keySet())
        .as("no ConfigMap ships a dashboard that is not a file")
        .containsExactlyInAnyOrderElementsOf(dashboards().keySet());
  }

  @Test
  void everyPanelQueriesMetricsThatExist() {
    MetricCatalog catalog = MetricCatalog.of(Repo.root(), Kustomize.overlay("prod"));
    Set<String> jobs = jobs();
    SoftAssertions soft = new SoftAssertions();
    for (var e : dashboards().entrySet()) {
      for (JsonNode p : panels(e.getValue())) {
        for (JsonNode t : p.path("targets")) {
          String where = e.getKey() + " panel '" + p.path("title").asText() + "'";
          checkExpression(soft, catalog, jobs, where, t.path("expr").asText());
        }
      }
      for (JsonNode v : e.getValue().path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          String query = v.path("query").path("query").asText(v.path("query").asText());
          Matcher m = Pattern.compile("label_values\\((.*),\\s*[A-Za-z_]+\\s*\\)").matcher(query);
          soft.assertThat(m.matches())
              .as(
                  "%s variable %s: label_values(<selector>, <label>)",
                  e.getKey(), v.path("name").asText())
              .isTrue();
          if (m.matches()) {
            checkExpression(
                soft,
                catalog,
                jobs,
                e.getKey() + " variable " + v.path("name").asText(),
                m.group(1));
          }
        }
      }
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------- alerts

  @ParameterizedTest(name = "{0}")
  @MethodSource("monitored")
  void everyAlertHasForSeveritySummaryDescriptionARunbookSectionAndRealMetrics(String overlay)
      throws IOException {
    Manifests manifests = Kustomize.overlay(overlay);
    MetricCatalog catalog = MetricCatalog.of(Repo.root(), manifests);
    Set<String> anchors = runbookAnchors();
    Set<String> jobs = jobs();
    List<Rule> rules = new ArrayList<>();
    manifests
        .all(PrometheusRule.class)
        .forEach(r -> r.spec().groups().forEach(g -> rules.addAll(g.rules())));
    assertThat(rules).as("alert rules in %s", overlay).isNotEmpty();

    SoftAssertions soft = new SoftAssertions();
    Set<String> names = new HashSet<>();
    for (Rule r : rules) {
      String where = "alert " + r.alert();
      soft.assertThat(r.alert())
          .as("a rule without alert name (recording rules: none)")
          .isNotBlank();
      soft.assertThat(names.add(r.alert())).as("%s is unique", where).isTrue();
      soft.assertThat(r.forDuration()).as("%s: for", where).isNotNull().matches(DURATION);
      soft.assertThat(r.labels()).as("%s: labels", where).isNotNull();
      if (r.labels() != null) {
        soft.assertThat(r.labels().get("severity")).as("%s: severity", where).isIn(SEVERITIES);
      }
      Map<String, String> a = r.annotations() == null ? Map.of() : r.annotations();
      soft.assertThat(a.get("summary")).as("%s: summary", where).isNotBlank();
      soft.assertThat(a.get("description")).as("%s: description", where).isNotBlank();
      String runbook = a.getOrDefault("runbook", "");
      soft.assertThat(runbook).as("%s: runbook", where).startsWith(RUNBOOK_REF);
      soft.assertThat(anchors)
          .as("%s: a section of %s for %s", where, RUNBOOK, runbook)
          .contains(runbook.substring(Math.min(runbook.length(), RUNBOOK_REF.length())));
      checkExpression(soft, catalog, jobs, where, r.expr());
    }
    soft.assertAll();

    Set<String> sections = new TreeSet<>();
    for (String line : Files.readAllLines(RUNBOOK)) {
      if (line.startsWith("### Alfer")) {
        sections.add(line.substring(4).strip());
      }
    }
    assertThat(sections).as("every alert section of the runbook names an alert").isSubsetOf(names);
  }

  // ---------------------------------------------------------------- scraping

  @ParameterizedTest(name = "{0}")
  @MethodSource("monitored")
  void everyServiceIsScrapedOnItsMetricsPortAsItsOwnJob(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    List<Workload> services = Workloads.of(manifests).services();
    assertThat(services).isNotEmpty();
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : services) {
      String name = w.serviceName();
      Map<String, String> labels = w.template().getMetadata().getLabels();
      Map<String, Integer> ports = ports(w);
      Map<String, String> annotations = w.template().getMetadata().getAnnotations();
      String path = annotations == null ? null : annotations.get("prometheus.io/path");
      List<String> scrapes = new ArrayList<>();
      for (PodMonitor pm : manifests.all(PodMonitor.class)) {
        if (!NetworkPolicies.selects(pm.spec().selector(), labels)
            || !sameNamespace(pm.spec().namespaceSelector())) {
          continue;
        }
        for (Endpoint e : pm.spec().podMetricsEndpoints()) {
          soft.assertThat(ports)
              .as(
                  "PodMonitor %s: %s has a container port named %s",
                  pm.metadata().getName(), name, e.port())
              .containsKey(e.port());
          soft.assertThat(e.path())
              .as("PodMonitor %s: path of %s", pm.metadata().getName(), name)
              .isEqualTo("/q/metrics")
              .isEqualTo(path);
          scrapes.add("PodMonitor " + pm.metadata().getName());
        }
        soft.assertThat(labels.get(pm.spec().jobLabel()))
            .as(
                "PodMonitor %s: the job of %s (jobLabel %s), which the dashboards and alerts select",
                pm.metadata().getName(), name, pm.spec().jobLabel())
            .isEqualTo(name);
        soft.assertThat(pm.spec().podTargetLabels())
            .as(
                "PodMonitor %s: series carry %s (AlferServiceDown selects on it)",
                pm.metadata().getName(), Workloads.COMPONENT)
            .contains(Workloads.COMPONENT);
      }
      for (ServiceMonitor sm : manifests.all(ServiceMonitor.class)) {
        for (Service s : manifests.all(Service.class)) {
          if (!NetworkPolicies.selects(sm.spec().selector(), s.getMetadata().getLabels())
              || s.getSpec().getSelector() == null
              || !labels.entrySet().containsAll(s.getSpec().getSelector().entrySet())) {
            continue;
          }
          for (Endpoint e : sm.spec().endpoints()) {
            ServicePort port =
                s.getSpec().getPorts().stream()
                    .filter(p -> e.port().equals(p.getName()))
                    .findFirst()
                    .orElse(null);
            soft.assertThat(port)
                .as(
                    "ServiceMonitor %s: Service %s has a port named %s",
                    sm.metadata().getName(), s.getMetadata().getName(), e.port())
                .isNotNull();
            soft.assertThat(e.path())
                .as("ServiceMonitor %s: path of %s", sm.metadata().getName(), name)
                .isEqualTo(path);
            scrapes.add("ServiceMonitor " + sm.metadata().getName());
          }
        }
      }
      soft.assertThat(scrapes)
          .as(
              "%s: scraped by exactly one PodMonitor or ServiceMonitor endpoint in %s",
              name, overlay)
          .hasSize(1);
    }
    soft.assertAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("monitored")
  void kafkaAndItsExporterAreOnAndScraped(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Kafka kafka = manifests.all(Kafka.class).get(0);
    assertThat(kafka.getSpec().getKafkaExporter())
        .as("Kafka Exporter (consumer lag, topic offsets)")
        .isNotNull();
    assertThat(kafka.getSpec().getKafka().getMetricsConfig())
        .isInstanceOf(JmxPrometheusExporterMetrics.class);
    assertThat(MetricCatalog.kafkaJmxNames(manifests)).isNotEmpty();
    for (Map<String, String> pod : List.of(KAFKA_NODE, KAFKA_EXPORTER)) {
      List<PodMonitor> monitors =
          manifests.all(PodMonitor.class).stream()
              .filter(pm -> NetworkPolicies.selects(pm.spec().selector(), pod))
              .toList();
      assertThat(monitors).as("PodMonitors of the pod labelled %s", pod).hasSize(1);
      PodMonitor pm = monitors.get(0);
      assertThat(pm.spec().podMetricsEndpoints())
          .extracting(Endpoint::port)
          .containsExactly(STRIMZI_METRICS_PORT);
      assertThat(pod).containsKey(pm.spec().jobLabel());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("monitored")
  void minioIsScrapedWithTheAuthenticationItAsks(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    Service minio = manifests.find(Service.class, "minio").orElseThrow();
    List<ServiceMonitor> monitors =
        manifests.all(ServiceMonitor.class).stream()
            .filter(
                sm ->
                    NetworkPolicies.selects(sm.spec().selector(), minio.getMetadata().getLabels()))
            .toList();
    assertThat(monitors).as("ServiceMonitors of MinIO").hasSize(1);
    Endpoint e = monitors.get(0).spec().endpoints().get(0);
    assertThat(minio.getSpec().getPorts()).extracting(ServicePort::getName).contains(e.port());
    assertThat(e.path()).isEqualTo("/minio/v2/metrics/cluster");
    Container c =
        Workloads.of(manifests).all().stream()
            .filter(w -> w.id().equals("Deployment/minio"))
            .findFirst()
            .orElseThrow()
            .container();
    String auth =
        (c.getEnv() == null ? List.<EnvVar>of() : c.getEnv())
            .stream()
                .filter(v -> v.getName().equals("MINIO_PROMETHEUS_AUTH_TYPE"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse("jwt");
    if (e.bearerTokenSecret() == null) {
      assertThat(auth)
          .as("MinIO's metrics without a bearer token need MINIO_PROMETHEUS_AUTH_TYPE=public")
          .isEqualTo("public");
    } else {
      assertThat(auth).isEqualTo("jwt");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("monitored")
  void prometheusAndOnlyPrometheusReachesWhatItScrapes(String overlay) {
    Manifests manifests = Kustomize.overlay(overlay);
    NetworkPolicies policies = new NetworkPolicies(manifests.all(NetworkPolicy.class));
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : Workloads.of(manifests).all()) {
      if (!w.longRunning()) {
        continue;
      }
      Pod pod =
          Pod.alfer(
              w.object().getMetadata().getName(), w.template().getMetadata().getLabels(), ports(w));
      for (int port : scrapedPorts(manifests, w)) {
        soft.assertThat(policies.allows(NetworkPolicyTest.PROMETHEUS, pod, port))
            .as("Prometheus -> %s:%d", w.id(), port)
            .isTrue();
        soft.assertThat(policies.allows(NetworkPolicyTest.STRANGER, pod, port))
            .as("another namespace -> %s:%d", w.id(), port)
            .isFalse();
      }
    }
    for (Map<String, String> labels : List.of(KAFKA_NODE, KAFKA_EXPORTER)) {
      Pod pod =
          Pod.alfer(
              labels.get("strimzi.io/name"),
              labels,
              Map.of(STRIMZI_METRICS_PORT, STRIMZI_METRICS_PORT_NUMBER));
      soft.assertThat(
              policies.allows(NetworkPolicyTest.PROMETHEUS, pod, STRIMZI_METRICS_PORT_NUMBER))
          .as("Prometheus -> %s metrics", pod.name())
          .isTrue();
      soft.assertThat(policies.allows(NetworkPolicyTest.STRANGER, pod, STRIMZI_METRICS_PORT_NUMBER))
          .as("another namespace -> %s metrics", pod.name())
          .isFalse();
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------- the catalog itself

  @Test
  void theCatalogHasTheServicesMetersUnderTheirPrometheusNames() {
    MetricCatalog catalog = MetricCatalog.of(Repo.root(), Kustomize.overlay("prod"));
    assertThat(catalog.all())
        .contains(
            "alfer_select_campaign_last_progress_seconds",
            "alfer_select_campaigns",
            "alfer_select_rounds_completed_total",
            "alfer_select_selection_seconds_count",
            "alfer_select_selection_seconds_max",
            "alfer_embed_batch_latency_seconds",
            "alfer_ingest_bytes_total",
            "alfer_label_unanswered_total",
            "alfer_oracle_answers_total",
            "alfer_trainer_images_per_second",
            "http_server_requests_seconds_count",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_sum",
            "process_cpu_usage",
            "kafka_server_replicamanager_underreplicatedpartitions")
        .doesNotContain(
            "alfer_select_campaign_last_progress",
            "alfer_ingest_bytes_bytes_total",
            "alfer_label_unanswered_total_total",
            "alfer_select_selection_seconds");
    assertThat(catalog.service("alfer_embed_backlog")).isEqualTo("embed");
    assertThat(catalog.service("jvm_memory_used_bytes")).isEqualTo("*");
  }

  @Test
  void aMeterWhoseNameIsNotALiteralFailsTheScan() {
    String source =
        """
        import io.micrometer.core.instrument.Counter;
        class X {
          // Counter.builder(NOT_A_METER) in a comment is ignored
          void f(String name) { Counter.builder(name).register(registry); }
        }
        """;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MetricCatalog.meters("x", "X.java", source))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("X.java:4")
        .hasMessageContaining("not a string literal");
  }

  @Test
  void theScanReadsTypeUnitAndPercentiles() {
    String source =
        """
        import io.micrometer.core.instrument.MeterRegistry;
        import io.micrometer.core.instrument.Timer;
        class X {
          /* Timer.builder("old.name") */
          void f(MeterRegistry registry) {
            Timer.builder("x.latency").publishPercentiles(0.5).register(registry);
            registry.counter("x_things_total", "k", "v");
            Gauge.builder("x.age", this, X::age).baseUnit("seconds").register(registry);
            registry.find("x.latency").counter();
          }
        }
        """;
    List<MetricCatalog.Meter> meters = MetricCatalog.meters("x", "X.java", source);
    assertThat(meters)
        .extracting(MetricCatalog.Meter::name)
        .containsExactly("x.latency", "x.age", "x_things_total");
    assertThat(MetricCatalog.prometheusNames(meters))
        .contains(
            "x_latency_seconds",
            "x_latency_seconds_count",
            "x_latency_seconds_max",
            "x_things_total",
            "x_age_seconds")
        .doesNotContain("old_name_seconds_count", "x_things_total_total");
  }

  // ---------------------------------------------------------------- helpers

  /** Fails softly for a metric nothing exports, or a job="svc" selector on another's metric. */
  private static void checkExpression(
      SoftAssertions soft, MetricCatalog catalog, Set<String> jobs, String where, String expr) {
    List<PromQl.Selector> selectors;
    try {
      selectors = PromQl.selectors(expr);
    } catch (IllegalArgumentException e) {
      soft.fail("%s: %s", where, e.getMessage());
      return;
    }
    soft.assertThat(selectors).as("%s reads a metric: %s", where, expr).isNotEmpty();
    for (PromQl.Selector s : selectors) {
      soft.assertThat(catalog.exists(s.metric()))
          .as("%s reads %s, which nothing exports (MetricCatalog): %s", where, s.metric(), expr)
          .isTrue();
      String job = s.equals().get("job");
      if (job != null && s.metric().startsWith("alfer_") && catalog.exists(s.metric())) {
        soft.assertThat(catalog.service(s.metric()))
            .as("%s reads %s of job %s", where, s.metric(), job)
            .isIn(job, "*");
      }
      if (job != null) {
        soft.assertThat(jobs).as("%s: job %s is a service", where, job).contains(job);
      }
    }
  }

  /** The jobs the services are scraped as: their names. */
  private static Set<String> jobs() {
    Set<String> jobs = new TreeSet<>(Services.modules(Repo.root()));
    jobs.addAll(UPCOMING);
    return jobs;
  }

  /** The dashboards of components/monitoring/dashboards, by file name. */
  static Map<String, JsonNode> dashboards() {
    Map<String, JsonNode> all = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        all.put(f.getFileName().toString(), JSON.readTree(f.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  /** Every panel of a dashboard, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  private static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    return JSON.missingNode();
  }

  /** GitHub's anchors of the runbook's headings. */
  static Set<String> runbookAnchors() throws IOException {
    Set<String> anchors = new TreeSet<>();
    for (String line : Files.readAllLines(RUNBOOK)) {
      if (line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
        anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static boolean sameNamespace(Monitoring.NamespaceSelector selector) {
    return selector == null
        || Boolean.TRUE.equals(selector.any())
        || (selector.matchNames() != null
            && selector.matchNames().contains(NetworkPolicies.NAMESPACE));
  }

  private static Map<String, Integer> ports(Workload w) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Container c : w.template().getSpec().getContainers()) {
      for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
        if (p.getName() != null) {
          ports.put(p.getName(), p.getContainerPort());
        }
      }
    }
    return ports;
  }

  /** The container ports of {@code w} that a PodMonitor or ServiceMonitor scrapes. */
  private static Set<Integer> scrapedPorts(Manifests manifests, Workload w) {
    Map<String, String> labels = w.template().getMetadata().getLabels();
    Map<String, Integer> ports = ports(w);
    Set<Integer> scraped = new HashSet<>();
    for (PodMonitor pm : manifests.all(PodMonitor.class)) {
      if (NetworkPolicies.selects(pm.spec().selector(), labels)) {
        pm.spec().podMetricsEndpoints().forEach(e -> scraped.add(ports.get(e.port())));
      }
    }
    for (ServiceMonitor sm : manifests.all(ServiceMonitor.class)) {
      for (Service s : manifests.all(Service.class)) {
        if (NetworkPolicies.selects(sm.spec().selector(), s.getMetadata().getLabels())
            && s.getSpec().getSelector() != null
            && labels.entrySet().containsAll(s.getSpec().getSelector().entrySet())) {
          for (Endpoint e : sm.spec().endpoints()) {
            s.getSpec().getPorts().stream()
                .filter(p -> e.port().equals(p.getName()))
                .forEach(
                    p ->
                        scraped.add(
                            p.getTargetPort().getIntVal() != null
                                ? p.getTargetPort().getIntVal()
                                : ports.get(p.getTargetPort().getStrVal())));
          }
        }
      }
    }
    scraped.remove(null);
    return scraped;
  }
}
