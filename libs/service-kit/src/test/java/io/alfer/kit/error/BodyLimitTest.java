package io.alfer.kit.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyLimitTest {
  @Test
  void aBodyOverTheLimitIsTooLargeAndTheMessageNamesTheLimit() {
    assertThat(BodyLimit.refusal("52428800", 10_485_760))
        .contains(
            new ErrorBody(
                "too_large",
                "the body is 52428800 bytes, more than the 10485760 bytes this service accepts"));
  }

  @Test
  void aLengthBeyondALongIsTooLargeToo() {
    assertThat(BodyLimit.refusal("99999999999999999999999", 10_485_760))
        .hasValueSatisfying(b -> assertThat(b.error()).isEqualTo("too_large"));
  }

  @Test
  void aBodyWithinTheLimitOrOfUnstatedLengthPassesOn() {
    assertThat(BodyLimit.refusal("10485760", 10_485_760)).isEmpty();
    assertThat(BodyLimit.refusal("0", 10_485_760)).isEmpty();
    assertThat(BodyLimit.refusal(null, 10_485_760)).isEmpty();
    assertThat(BodyLimit.refusal("lots", 10_485_760)).isEmpty();
    assertThat(BodyLimit.refusal("-1", 10_485_760)).isEmpty();
  }
}
