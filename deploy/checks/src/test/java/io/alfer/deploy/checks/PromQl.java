package io.alfer.deploy.checks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vector selectors of a PromQL expression (as in a dashboard panel or an alert rule): each
 * metric name it reads, with the equality matchers written on it. Not a full parser: it scans
 * tokens the way PromQL's lexer does, and knows enough of the grammar to tell a metric name from a
 * function, an aggregation, a keyword, the label list of {@code by (...)} / {@code on (...)}, a
 * string, a duration or a Grafana variable ({@code $namespace}, {@code $__rate_interval}, {@code
 * ${datasource}}). Fails on what it cannot scan (unbalanced brackets, an unterminated string).
 */
final class PromQl {
  /** A metric name read by an expression, with its {@code label="value"} matchers. */
  record Selector(String metric, Map<String, String> equals) {}

  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  /** Keywords followed by a parenthesised list of label names (not metrics). */
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "atan2");

  private final String text;
  private int i;
  private final List<Selector> selectors = new ArrayList<>();

  private PromQl(String text) {
    this.text = text;
  }

  /** Every vector selector of {@code expr}, in order. */
  static List<Selector> selectors(String expr) {
    PromQl p = new PromQl(expr);
    p.scan();
    return List.copyOf(p.selectors);
  }

  /** The metric names {@code expr} reads. */
  static Set<String> metrics(String expr) {
    Set<String> names = new java.util.TreeSet<>();
    selectors(expr).forEach(s -> names.add(s.metric()));
    return names;
  }

  private void scan() {
    int depth = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '\'' || c == '`') {
        string();
      } else if (c == '{') {
        Map<String, String> m = matchers();
        String name = m.remove("__name__");
        if (name == null) {
          throw new IllegalArgumentException(
              "a selector with neither metric name nor __name__: " + text);
        }
        selectors.add(new Selector(name, m));
      } else if (c == '[') {
        skipTo(']');
      } else if (c == '(') {
        depth++;
        i++;
      } else if (c == ')') {
        if (--depth < 0) {
          throw new IllegalArgumentException("unbalanced ')' at " + i + " in: " + text);
        }
        i++;
      } else if (c == '$') {
        variable();
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
        while (i < text.length()
            && (Character.isLetterOrDigit(text.charAt(i))
                || text.charAt(i) == '.'
                || text.charAt(i) == '_')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        identifier();
      } else if ("+-*/%^=!<>,@".indexOf(c) >= 0) {
        i++;
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in: " + text);
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("unbalanced '(' in: " + text);
    }
  }

  private void identifier() {
    int start = i;
    while (i < text.length()
        && (Character.isLetterOrDigit(text.charAt(i))
            || text.charAt(i) == '_'
            || text.charAt(i) == ':')) {
      i++;
    }
    String word = text.substring(start, i);
    int next = skipSpaces(i);
    char after = next < text.length() ? text.charAt(next) : 0;
    if (LABEL_LISTS.contains(word)) {
      if (after == '(') {
        i = next;
        skipTo(')');
      }
    } else if (word.equals("offset")) {
      i = next;
      while (i < text.length()
          && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '-')) {
        i++;
      }
    } else if (KEYWORDS.contains(word) || AGGREGATIONS.contains(word) || after == '(') {
      // an operator, an aggregation (its "by (...)" is skipped on its own) or a function
    } else if (word.equals("inf")
        || word.equals("nan")
        || word.equals("Inf")
        || word.equals("NaN")) {
      // a number
    } else if (after == '{') {
      i = next;
      Map<String, String> m = matchers();
      selectors.add(new Selector(word, m));
    } else {
      selectors.add(new Selector(word, Map.of()));
    }
  }

  /** Reads {@code {a="x", b=~"y"}} from {@code i}; returns the equality matchers. */
  private Map<String, String> matchers() {
    Map<String, String> equals = new LinkedHashMap<>();
    i++; // {
    while (true) {
      i = skipSpaces(i);
      if (i >= text.length()) {
        throw new IllegalArgumentException("unterminated '{' in: " + text);
      }
      if (text.charAt(i) == '}') {
        i++;
        return equals;
      }
      if (text.charAt(i) == ',') {
        i++;
        continue;
      }
      int start = i;
      while (i < text.length()
          && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
        i++;
      }
      String label = text.substring(start, i);
      if (label.isEmpty()) {
        throw new IllegalArgumentException("a label name expected at " + i + " in: " + text);
      }
      i = skipSpaces(i);
      int opStart = i;
      while (i < text.length() && "=!~".indexOf(text.charAt(i)) >= 0) {
        i++;
      }
      String op = text.substring(opStart, i);
      if (!Set.of("=", "!=", "=~", "!~").contains(op)) {
        throw new IllegalArgumentException("matcher operator '" + op + "' in: " + text);
      }
      i = skipSpaces(i);
      String value = string();
      if (op.equals("=")) {
        equals.put(label, value);
      }
    }
  }

  /** Reads a string literal from {@code i} and returns its (unescaped) value. */
  private String string() {
    char quote = text.charAt(i++);
    StringBuilder value = new StringBuilder();
    while (i < text.length() && text.charAt(i) != quote) {
      if (text.charAt(i) == '\\' && quote != '`' && i + 1 < text.length()) {
        i++;
      }
      value.append(text.charAt(i++));
    }
    if (i >= text.length()) {
      throw new IllegalArgumentException("unterminated string in: " + text);
    }
    i++;
    return value.toString();
  }

  /** Skips a Grafana variable: $name or ${name} or ${name:format}. */
  private void variable() {
    i++;
    if (i < text.length() && text.charAt(i) == '{') {
      skipTo('}');
    } else {
      while (i < text.length()
          && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
        i++;
      }
    }
  }

  /** Skips from an opening bracket at {@code i} past its closing one (no nesting of that kind). */
  private void skipTo(char close) {
    int end = text.indexOf(close, i);
    if (end < 0) {
      throw new IllegalArgumentException("no '" + close + "' after " + i + " in: " + text);
    }
    i = end + 1;
  }

  private int skipSpaces(int from) {
    int j = from;
    while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
      j++;
    }
    return j;
  }
}
