package io.alfer.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
  /**
   * A manifest as the earlier Gson-based code wrote it: pretty-printed, nulls written, HTML
   * characters escaped, numbers as the identity held them.
   */
  private static final String STORED =
      """
      {
        "format": 1,
        "created_at": "2025-01-12T10:15:30.123456Z",
        "identity": {
          "execution": "in-process",
          "protocol": {
            "rounds": 7,
            "encoder_preset": "small",
            "budget_fraction": 0.05,
            "initial_size": 0,
            "note": null
          },
          "dataset": {
            "pool_snapshot": "sha256:ab12",
            "pool_size": 28709,
            "classes": [
              "angry",
              "happy"
            ]
          }
        },
        "runs": [
          {
            "profile": "paper",
            "command": "experiment run --results\\u003dout",
            "seeds": [
              1,
              2
            ],
            "started_at": "2025-01-12T10:15:30.234567Z"
          }
        ]
      }
      """;

  @TempDir Path dir;

  private static Map<String, Object> identity(int rounds, String preset) {
    Map<String, Object> protocol = new LinkedHashMap<>();
    protocol.put("rounds", rounds);
    protocol.put("encoder_preset", preset);
    protocol.put("budget_fraction", 0.05);
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("execution", "in-process");
    identity.put("protocol", protocol);
    return identity;
  }

  /** The identity {@link #STORED} was written for, with a long and a null among its values. */
  private static Map<String, Object> storedIdentity(int rounds) {
    Map<String, Object> identity = identity(rounds, "small");
    @SuppressWarnings("unchecked")
    Map<String, Object> protocol = (Map<String, Object>) identity.get("protocol");
    protocol.put("initial_size", 0);
    protocol.put("note", null);
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("pool_snapshot", "sha256:ab12");
    dataset.put("pool_size", 28_709L);
    dataset.put("classes", List.of("angry", "happy"));
    identity.put("dataset", dataset);
    return identity;
  }

  private JsonNode stored() throws Exception {
    return new ObjectMapper().readTree(Files.readString(dir.resolve(RunManifest.FILE_NAME)));
  }

  @Test
  void theSameConfigurationMayRunAgainAndEveryRunIsRecorded() throws Exception {
    RunManifest.claim(dir, identity(7, "small"), Map.of("seeds", List.of(1)));
    RunManifest.claim(dir, identity(7, "small"), Map.of("seeds", List.of(2)));
    JsonNode manifest = stored();
    assertThat(manifest.get("format").intValue()).isEqualTo(1);
    assertThat(manifest.get("runs")).hasSize(2);
    assertThat(manifest.get("runs").get(1).get("seeds").get(0).intValue()).isEqualTo(2);
    assertThat(manifest.get("runs").get(1).hasNonNull("started_at")).isTrue();
    assertThat(RunManifest.identity(dir).get("protocol").get("rounds").intValue()).isEqualTo(7);
    assertThat(Files.readString(dir.resolve(RunManifest.FILE_NAME)))
        .startsWith("{\n  \"format\"")
        .endsWith("}\n");
  }

  @Test
  void anotherConfigurationIsRefusedNamingEveryDifference() {
    RunManifest.claim(dir, identity(7, "small"), Map.of());
    assertThatThrownBy(() -> RunManifest.claim(dir, identity(3, "tiny"), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("different configuration")
        .hasMessageContaining("protocol.rounds 3 vs. 7")
        .hasMessageContaining("protocol.encoder_preset \"tiny\" vs. \"small\"")
        .hasMessageContaining("--results");
  }

  @Test
  void aManifestTheGsonCodeWroteIsClaimedAgainAndKept() throws Exception {
    Files.writeString(dir.resolve(RunManifest.FILE_NAME), STORED);
    assertThat(RunManifest.identity(dir).get("dataset").get("pool_size").intValue())
        .isEqualTo(28_709);

    RunManifest.claim(dir, storedIdentity(7), Map.of("profile", "cpu"));

    JsonNode manifest = stored();
    assertThat(manifest.get("created_at").textValue()).isEqualTo("2025-01-12T10:15:30.123456Z");
    assertThat(manifest.get("identity").get("protocol").get("note").isNull()).isTrue();
    JsonNode runs = manifest.get("runs");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).get("command").textValue()).isEqualTo("experiment run --results=out");
    assertThat(runs.get(0).get("seeds").get(1).intValue()).isEqualTo(2);
    assertThat(runs.get(1).get("profile").textValue()).isEqualTo("cpu");
  }

  @Test
  void numbersOfTheStoredManifestCompareByValue() throws Exception {
    Files.writeString(
        dir.resolve(RunManifest.FILE_NAME),
        STORED.replace("\"budget_fraction\": 0.05", "\"budget_fraction\": 5E-2"));
    RunManifest.claim(dir, storedIdentity(7), Map.of());

    Map<String, Object> fewer = storedIdentity(7);
    @SuppressWarnings("unchecked")
    Map<String, Object> dataset = (Map<String, Object>) fewer.get("dataset");
    dataset.put("classes", List.of("angry"));
    dataset.put("pool_size", 28_709.5);
    assertThatThrownBy(() -> RunManifest.claim(dir, fewer, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataset.classes [\"angry\"] vs. [\"angry\",\"happy\"]")
        .hasMessageContaining("dataset.pool_size 28709.5 vs. 28709");
    assertThat(stored().get("runs")).hasSize(2);
  }

  @Test
  void aDamagedManifestIsReportedWithItsFile() throws Exception {
    Path file = dir.resolve(RunManifest.FILE_NAME);
    Files.writeString(file, "{\"format\": 1, \"identity\": ");
    assertThatThrownBy(() -> RunManifest.claim(dir, identity(7, "small"), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file + " is not valid JSON");
    assertThatThrownBy(() -> RunManifest.identity(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file + " is not valid JSON");
    Files.writeString(file, "[1]");
    assertThatThrownBy(() -> RunManifest.identity(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file + " does not hold a JSON object");
  }
}
