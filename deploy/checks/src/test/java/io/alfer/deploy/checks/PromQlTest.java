package io.alfer.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric names {@link PromQl} finds, and those it must not take for metrics. */
class PromQlTest {
  @Test
  void aggregationsFunctionsLabelListsAndGrafanaVariablesAreNotMetrics() {
    assertThat(
            PromQl.metrics(
                "sum by (consumergroup, topic) (rate(kafka_consumergroup_current_offset{namespace=\"$namespace\"}[$__rate_interval]))"
                    + " / on (topic) group_left (x) max without (pod) (kafka_topic_partitions)"))
        .containsExactlyInAnyOrder("kafka_consumergroup_current_offset", "kafka_topic_partitions");
    assertThat(PromQl.metrics("time() - max(alfer_x_seconds) > 7200 and bool 1e3 < up offset 5m"))
        .containsExactlyInAnyOrder("alfer_x_seconds", "up");
    assertThat(
            PromQl.metrics(
                "max_over_time((time() - a_b{job=\"select\", phase!=\"x\"})[$__range:1m])"
                    + " or label_replace(c_d, \"dst\", \"$1\", \"src\", \"(.*)\") unless vector(0)"))
        .containsExactlyInAnyOrder("a_b", "c_d");
    assertThat(PromQl.metrics("sum(x_total) by (le) * ignoring(pod) y_total"))
        .containsExactlyInAnyOrder("x_total", "y_total");
  }

  @Test
  void equalityMatchersAreKeptWithTheirMetric() {
    List<PromQl.Selector> s =
        PromQl.selectors(
            "rate(http_server_requests_seconds_count{job=\"label\", uri!~\"/q/.*\", status=~\"5..\"}[5m])"
                + " + {__name__=\"up\", job=\"select\"}");
    assertThat(s)
        .containsExactly(
            new PromQl.Selector("http_server_requests_seconds_count", Map.of("job", "label")),
            new PromQl.Selector("up", Map.of("job", "select")));
  }

  @Test
  void escapedQuotesAndRegexBackslashesStayInsideTheirString() {
    assertThat(
            PromQl.selectors(
                "sum by (topic) (increase(kafka_topic_partition_current_offset{topic=~\".+\\\\.dlq\", a=\"x\\\"}y\"}[30m]))"))
        .containsExactly(
            new PromQl.Selector("kafka_topic_partition_current_offset", Map.of("a", "x\"}y")));
  }

  @Test
  void whatItCannotScanFails() {
    assertThatThrownBy(() -> PromQl.metrics("sum(rate(x[5m])"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PromQl.metrics("x{job=\"a}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PromQl.metrics("x{job==\"a\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PromQl.metrics("rate(x)) + y"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
