package io.alfer.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.util.JsonFormat;
import io.alfer.proto.v1.LabelResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of {@code bench label}: the result it sends is the contract's, and the tally
 * counts lost, doubled and mismatched labels and the latency percentiles right.
 */
class LabelBenchmarkTest {
  @Test
  void aResultIsTheContractsJsonWithItsSevenHeadersOnTheVendorsTopic() throws Exception {
    Instant at = Instant.parse("2026-12-01T11:42:05Z");
    ProducerRecord<String, byte[]> r =
        LabelBenchmark.resultRecord(
            "bench", "aed5bc6b21b01408c2cadbbfce8b5258", "ann-3", "sad", at);

    assertThat(r.topic()).isEqualTo("alfer.vendor.bench.results");
    assertThat(r.key()).isEqualTo("aed5bc6b21b01408c2cadbbfce8b5258");
    LabelResult.Builder result = LabelResult.newBuilder();
    JsonFormat.parser().merge(new String(r.value(), StandardCharsets.UTF_8), result);
    assertThat(result.build())
        .isEqualTo(
            LabelResult.newBuilder()
                .setTaskId("aed5bc6b21b01408c2cadbbfce8b5258")
                .setVendor("bench")
                .setAnnotator("ann-3")
                .setLabel("sad")
                .setAnsweredAt(
                    com.google.protobuf.Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
                .setConfidence(0.9f)
                .build());

    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      assertThat(headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8))).isNull();
    }
    assertThat(headers)
        .containsOnlyKeys(
            "ce_specversion",
            "ce_id",
            "ce_source",
            "ce_type",
            "ce_time",
            "ce_subject",
            "content-type")
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_source", "/vendors/bench")
        .containsEntry("ce_type", "io.alfer.label.result.v2")
        .containsEntry("ce_time", "2026-12-01T11:42:05Z")
        .containsEntry("ce_subject", "aed5bc6b21b01408c2cadbbfce8b5258")
        .containsEntry("content-type", "application/json");
    assertThat(headers.get("ce_id")).hasSize(36);
  }

  @Test
  void imageIdsAre32HexDigitsAndDistinct() {
    Set<String> ids =
        IntStream.range(0, 10_000)
            .mapToObj(i -> LabelBenchmark.imageId("bench-label-x", i))
            .collect(Collectors.toSet());
    assertThat(ids).hasSize(10_000).allMatch(id -> id.matches("[0-9a-f]{32}"));
    assertThat(LabelBenchmark.imageId("bench-label-y", 0)).isNotIn(ids);
  }

  @Test
  void theTallyCountsLostDoubledAndMismatchedImages() {
    LabelTally t = new LabelTally(4);
    t.expect(0, 3);
    t.expect(1, 2);
    for (int i = 0; i < 4; i++) {
      t.sent(i, 1_000_000_000L + i * 1_000_000L); // image i's result at 1 s + i ms
    }
    t.labelled(0, 3, 1_010_000_000L); // 10 ms
    t.labelled(1, 5, 1_031_000_000L); // 30 ms, not the unanimous class
    t.labelled(1, 5, 1_040_000_000L); // a second label of image 1
    t.labelled(2, 6, 1_052_000_000L); // 50 ms; its results disagreed, nothing to check
    // image 3: no label

    assertThat(t.labelled()).isEqualTo(3);
    assertThat(t.lost()).isEqualTo(1);
    assertThat(t.doubled()).isEqualTo(1);
    assertThat(t.mismatched()).isEqualTo(1);
    assertThat(t.latenciesMs()).containsExactly(10.0, 30.0, 50.0);
    // first result sent (1 s) to the last first label (1.052 s); the doubled one does not count
    assertThat(t.seconds()).isCloseTo(0.052, within(1e-9));
  }

  @Test
  void theLastResultOfAnImageStartsItsLatency() {
    LabelTally t = new LabelTally(1);
    t.sent(0, 100_000_000L);
    t.sent(0, 300_000_000L);
    t.labelled(0, 0, 310_000_000L);
    assertThat(t.latenciesMs()).containsExactly(10.0);
    assertThat(t.seconds()).isCloseTo(0.21, within(1e-9));
  }

  @Test
  void percentilesAreNearestRank() {
    double[] sorted = IntStream.rangeClosed(1, 200).asDoubleStream().toArray();
    assertThat(LabelTally.percentile(sorted, 50)).isEqualTo(100);
    assertThat(LabelTally.percentile(sorted, 99)).isEqualTo(198);
    assertThat(LabelTally.percentile(sorted, 100)).isEqualTo(200);
    assertThat(LabelTally.percentile(new double[] {7}, 99)).isEqualTo(7);
    assertThat(LabelTally.percentile(new double[0], 50)).isNaN();
    assertThat(new LabelTally(2).seconds()).isNaN();
  }
}
