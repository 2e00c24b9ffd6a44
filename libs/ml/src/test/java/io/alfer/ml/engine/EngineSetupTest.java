package io.alfer.ml.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine's large tensors land on transparent huge pages once {@link EngineSetup#prepare()} ran
 * before the engine's first allocation, and not when it is switched off. Each case runs {@link
 * HugePagesProbe} in a fresh JVM: the engine reads the setting once per process.
 */
class EngineSetupTest {
  @Test
  void prepareIsIdempotentAndSaysWhatItDid() {
    String first = EngineSetup.prepare();
    assertThat(EngineSetup.prepare()).isSameAs(first);
    assertThat(EngineSetup.status()).isEqualTo(first);
  }

  @Test
  void largeTensorsGetHugePagesOnlyWhenPrepared() throws Exception {
    assumeTrue(
        Files.isReadable(Path.of("/proc/self/smaps_rollup")),
        "needs Linux's /proc/self/smaps_rollup");
    String mode = EngineSetup.transparentHugePageMode();
    assumeTrue(mode.equals("madvise") || mode.equals("always"), "the kernel's THP mode is " + mode);
    assumeTrue(System.getenv(EngineSetup.HUGE_PAGES) == null, "THP_MEM_ALLOC_ENABLE is set here");

    Map<String, String> on = probe(List.of());
    assertThat(on.get("status")).startsWith("THP_MEM_ALLOC_ENABLE=1");
    assertThat(on.get("sum")).isEqualTo("1.6777216E7");
    // 64 MiB filled: at least half of it on 2 MiB pages (the kernel may miss a few)
    assertThat(Long.parseLong(on.get("huge_after")) - Long.parseLong(on.get("huge_before")))
        .isGreaterThanOrEqualTo(32L << 20);

    Map<String, String> off = probe(List.of("-D" + EngineSetup.PROPERTY + "=false"));
    assertThat(off.get("status")).contains(EngineSetup.PROPERTY + "=false");
    if (mode.equals("madvise")) {
      // nobody asks for huge pages, so the kernel gives none
      assertThat(Long.parseLong(off.get("huge_after")) - Long.parseLong(off.get("huge_before")))
          .isLessThan(8L << 20);
    }
  }

  private static Map<String, String> probe(List<String> options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    for (String key : List.of("ai.djl.offline", "DJL_CACHE_DIR")) {
      if (System.getProperty(key) != null) {
        command.add("-D" + key + "=" + System.getProperty(key));
      }
    }
    command.addAll(options);
    command.add(HugePagesProbe.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // this JVM may have set it already (prepare), and a child inherits the C environment
    builder.environment().remove(EngineSetup.HUGE_PAGES);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    Map<String, String> values = new HashMap<>();
    for (String key : List.of("status", "sum", "huge_before", "huge_after")) {
      for (String line : output.split("\n")) {
        if (line.startsWith(key + "=")) {
          values.put(key, line.substring(key.length() + 1).trim());
        }
      }
      assertThat(values).as(output).containsKey(key);
    }
    return values;
  }
}
