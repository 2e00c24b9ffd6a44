package io.alfer.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The manifest's JSON, including manifests already in object storage. */
class ShardManifestTest {
  private static final String SHA_A =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final String SHA_B =
      "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

  /** A manifest as the earlier Gson-based code wrote it (pretty-printed, its field order). */
  private static final String STORED =
      """
      {
        "dataset": "fer2013-pool",
        "height": 48,
        "width": 48,
        "total": 10,
        "shards": [
          {
            "key": "shards/fer2013-pool/%s.shard",
            "sha256": "%s",
            "count": 8
          },
          {
            "key": "shards/fer2013-pool/%s.shard",
            "sha256": "%s",
            "count": 2
          }
        ]
      }"""
          .formatted(SHA_A, SHA_A, SHA_B, SHA_B);

  @Test
  void readsAManifestAlreadyInStorage() {
    ShardManifest manifest = ShardManifest.fromJson(STORED);
    assertThat(manifest.dataset()).isEqualTo("fer2013-pool");
    assertThat(manifest.height()).isEqualTo(48);
    assertThat(manifest.width()).isEqualTo(48);
    assertThat(manifest.total()).isEqualTo(10);
    assertThat(manifest.shards())
        .containsExactly(
            new ShardManifest.Entry("shards/fer2013-pool/" + SHA_A + ".shard", SHA_A, 8),
            new ShardManifest.Entry("shards/fer2013-pool/" + SHA_B + ".shard", SHA_B, 2));
  }

  @Test
  void roundTripsWithTheSameFieldsPrettyPrinted() {
    ShardManifest manifest = ShardManifest.fromJson(STORED);
    String json = manifest.toJson();
    assertThat(ShardManifest.fromJson(json)).isEqualTo(manifest);
    assertThat(json)
        .contains("\n  \"dataset\"")
        .containsSubsequence("dataset", "height", "width", "total", "shards", "key", "sha256");
  }

  @Test
  void unknownFieldsAreIgnored() {
    ShardManifest manifest =
        ShardManifest.fromJson(STORED.replace("\"total\": 10,", "\"total\": 10, \"note\": [1],"));
    assertThat(manifest.total()).isEqualTo(10);
  }

  @Test
  void badContentFailsNamingTheManifestAndTheProblem() {
    assertThatThrownBy(() -> ShardManifest.fromJson(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty shard manifest");
    assertThatThrownBy(() -> ShardManifest.fromJson("null")).hasMessage("empty shard manifest");
    assertThatThrownBy(() -> ShardManifest.fromJson("{\"dataset\": \"fer\", "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unreadable shard manifest: ");
    assertThatThrownBy(
            () -> ShardManifest.fromJson(STORED.replace("\"total\": 10", "\"total\": \"ten\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unreadable shard manifest: ")
        .hasMessageContaining("total")
        .hasMessageContaining("line 5");
    assertThatThrownBy(() -> ShardManifest.fromJson(STORED.replace("\"count\": 2", "\"count\": 3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unreadable shard manifest: ")
        .hasMessageContaining("counts 10 images but its shards hold 11");
  }
}
