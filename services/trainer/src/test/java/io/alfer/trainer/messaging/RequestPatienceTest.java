package io.alfer.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request waiting for storage must not outlive the channel's unprocessed-record limit, or the
 * channel marks itself failed mid-outage: SmallRye's default limit (60 s) is below the trainer's
 * five minutes of patience, which is why the trainer sets its own.
 */
class RequestPatienceTest {

  @Test
  void theDefaultLimitIsTooShortForFiveMinutesOfPatience() {
    assertThatThrownBy(
            () -> RequestConsumer.checkPatience(Duration.ofMinutes(5), Duration.ofSeconds(60)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alfer.trainer.request-patience=PT5M")
        .hasMessageContaining(RequestConsumer.MAX_AGE + "=60000");
  }

  @Test
  void theTrainersOwnLimitLeavesRoomForTheLastAttempt() {
    assertThatCode(
            () -> RequestConsumer.checkPatience(Duration.ofMinutes(5), Duration.ofMinutes(10)))
        .doesNotThrowAnyException();
    // patience + the longest attempt (60 s) + a pause must fit, not the patience alone
    assertThatThrownBy(
            () -> RequestConsumer.checkPatience(Duration.ofMinutes(5), Duration.ofSeconds(330)))
        .isInstanceOf(IllegalStateException.class);
    // a limit of 0 turns SmallRye's check off
    assertThatCode(() -> RequestConsumer.checkPatience(Duration.ofMinutes(5), Duration.ZERO))
        .doesNotThrowAnyException();
  }
}
