package io.alfer.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VendorTopicsTest {

  @Test
  void everyTopicOfAVendorLivesUnderItsOwnPrefix() {
    assertThat(VendorTopics.tasks("acme")).isEqualTo("alfer.vendor.acme.tasks");
    assertThat(VendorTopics.results("acme")).isEqualTo("alfer.vendor.acme.results");
    assertThat(VendorTopics.refusedResults("acme")).isEqualTo("alfer.vendor.acme.results.dlq");
    assertThat(VendorTopics.all("acme")).allMatch(t -> t.startsWith(VendorTopics.prefix("acme")));
    // one vendor's prefix never covers another's topics
    assertThat(VendorTopics.all("acme-2"))
        .noneMatch(t -> t.startsWith(VendorTopics.prefix("acme")));
  }

  @Test
  void theVendorOfAResultIsReadFromTheTopicName() {
    assertThat(VendorTopics.vendorOfResults("alfer.vendor.globex.results")).contains("globex");
    assertThat(VendorTopics.vendorOfResults("alfer.vendor.globex.results.dlq")).isEmpty();
    assertThat(VendorTopics.vendorOfResults("alfer.vendor.globex.tasks")).isEmpty();
    assertThat(VendorTopics.vendorOfResults("alfer.label-results")).isEmpty();
  }

  @Test
  void namesThatCannotNameTopicsAndUsersAreRefused() {
    for (String bad : new String[] {"", "Acme", "a.b", "-acme", "acme-", "a_b", "x".repeat(64)}) {
      assertThatThrownBy(() -> VendorTopics.tasks(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("vendor name");
    }
  }
}
