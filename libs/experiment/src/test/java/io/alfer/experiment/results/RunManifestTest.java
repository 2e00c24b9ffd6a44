package io.alfer.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
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

  @Test
  void theSameConfigurationMayRunAgainAndEveryRunIsRecorded() throws Exception {
    RunManifest.claim(dir, identity(7, "small"), Map.of("seeds", List.of(1)));
    RunManifest.claim(dir, identity(7, "small"), Map.of("seeds", List.of(2)));
    var manifest =
        JsonParser.parseString(Files.readString(dir.resolve(RunManifest.FILE_NAME)))
            .getAsJsonObject();
    assertThat(manifest.getAsJsonArray("runs")).hasSize(2);
    assertThat(RunManifest.identity(dir).getAsJsonObject("protocol").get("rounds").getAsInt())
        .isEqualTo(7);
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
}
