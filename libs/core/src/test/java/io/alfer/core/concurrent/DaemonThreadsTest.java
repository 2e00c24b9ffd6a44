package io.alfer.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void aPoolsThreadsAreDaemonsNumberedInOrder() {
    ThreadFactory pool = DaemonThreads.numbered("embed-fetch");

    Thread first = pool.newThread(() -> {});
    Thread second = pool.newThread(() -> {});

    assertThat(first.getName()).isEqualTo("embed-fetch-1");
    assertThat(second.getName()).isEqualTo("embed-fetch-2");
    assertThat(first.isDaemon()).isTrue();
    assertThat(second.isDaemon()).isTrue();
  }

  @Test
  void aSingleThreadKeepsItsNameAndRunsItsTask() throws InterruptedException {
    boolean[] ran = {false};
    Thread t = DaemonThreads.named("select-loop").newThread(() -> ran[0] = true);

    t.start();
    t.join();

    assertThat(t.getName()).isEqualTo("select-loop");
    assertThat(t.isDaemon()).isTrue();
    assertThat(ran[0]).isTrue();
  }
}
