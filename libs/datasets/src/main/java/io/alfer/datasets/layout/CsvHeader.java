package io.alfer.datasets.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Column positions of a FER2013 CSV header; -1 for an absent optional column. */
record CsvHeader(int columns, int emotion, int pixels, int usage) {

  /** The header of a FER2013 CSV, or {@code null} when the line is not one. */
  static CsvHeader parse(String line) {
    List<String> names =
        fields(line.startsWith("\uFEFF") ? line.substring(1) : line).stream()
            .map(name -> name.toLowerCase(Locale.ROOT))
            .toList();
    int emotion = names.indexOf("emotion");
    int pixels = names.indexOf("pixels");
    int usage = names.indexOf("usage");
    if (pixels < 0 || (emotion < 0 && usage < 0)) {
      return null;
    }
    return new CsvHeader(names.size(), emotion, pixels, usage);
  }

  /** Comma-separated fields, stripped of blanks and surrounding quotes. */
  static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    for (String field : line.split(",", -1)) {
      fields.add(field(field));
    }
    return fields;
  }

  /** One field's text: stripped of blanks and surrounding quotes. */
  static String field(String raw) {
    String value = raw.strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return value;
  }
}
