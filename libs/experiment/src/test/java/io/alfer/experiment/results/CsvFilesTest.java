package io.alfer.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFilesTest {
  @Test
  void quotesOnlyTheFieldsThatNeedIt() {
    assertThat(CsvFiles.line(List.of("entropy", "-1.00", "NaN", "2025-01-02T03:04:05.5Z", 7)))
        .isEqualTo("entropy,-1.00,NaN,2025-01-02T03:04:05.5Z,7\n");
    assertThat(CsvFiles.line(List.of("a,b", "say \"hi\"", "two\nlines", " padded", "#x")))
        .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\"#x\"\n");
  }

  @Test
  void readsWhatItWritesWithLineNumbersAndSkipsEmptyLines() {
    String text =
        CsvFiles.document(
            List.of("name", "value"), List.of(List.of("a,b", "1"), List.of("say \"hi\"", "2")));
    List<CsvFiles.Line> lines = CsvFiles.parse(text.replace("\"a,b\"", "\n\"a,b\""));
    assertThat(lines).extracting(CsvFiles.Line::number).containsExactly(1L, 3L, 4L);
    assertThat(lines.get(1).fields()).containsExactly("a,b", "1");
    assertThat(lines.get(2).fields()).containsExactly("say \"hi\"", "2");
    assertThat(lines.get(2).text()).isEqualTo("\"say \"\"hi\"\"\",2");
  }

  @Test
  void anOpenQuoteIsNotCsv() {
    assertThatThrownBy(() -> CsvFiles.parse("a,b\n\"c,d\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not CSV");
  }

  @Test
  void numbersInTheRootLocale() {
    java.util.Locale previous = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.GERMANY);
      assertThat(CsvFiles.fixed(1234.5678, 3)).isEqualTo("1234.568");
      assertThat(CsvFiles.fixed(-1, 2)).isEqualTo("-1.00");
    } finally {
      java.util.Locale.setDefault(previous);
    }
    assertThat(Arrays.asList(CsvFiles.fixed(Double.NaN, 6))).containsExactly("NaN");
  }
}
