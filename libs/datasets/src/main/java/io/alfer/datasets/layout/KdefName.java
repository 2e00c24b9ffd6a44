package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KDEF file name such as {@code AF01ANS.JPG}: session (A/B), sex (F/M), subject number,
 * expression code (chars 5-6) and camera angle (S, HL, HR, FL, FR).
 *
 * @param session photo session, {@code A} or {@code B}
 * @param sex {@code F} or {@code M}
 * @param subject subject number within the sex, e.g. 1
 * @param expression KDEF expression code: AF, AN, DI, HA, NE, SA or SU
 * @param angle camera angle: S (straight), HL/HR (half left/right), FL/FR (full left/right)
 */
public record KdefName(char session, char sex, int subject, String expression, String angle) {

  private static final Pattern NAME =
      Pattern.compile(
          "([AB])([FM])(\\d{2})(AF|AN|DI|HA|NE|SA|SU)(S|HL|HR|FL|FR)\\.(JPE?G|PNG|BMP)",
          Pattern.CASE_INSENSITIVE);

  private static final Map<String, Integer> FER7_BY_CODE =
      Map.of(
          "AF", ClassTaxonomy.FEAR,
          "AN", ClassTaxonomy.ANGRY,
          "DI", ClassTaxonomy.DISGUST,
          "HA", ClassTaxonomy.HAPPY,
          "NE", ClassTaxonomy.NEUTRAL,
          "SA", ClassTaxonomy.SAD,
          "SU", ClassTaxonomy.SURPRISE);

  /** The parts of a KDEF file name (without folders), or empty when it is not one. */
  public static Optional<KdefName> parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new KdefName(
            Character.toUpperCase(m.group(1).charAt(0)),
            Character.toUpperCase(m.group(2).charAt(0)),
            Integer.parseInt(m.group(3)),
            m.group(4).toUpperCase(Locale.ROOT),
            m.group(5).toUpperCase(Locale.ROOT)));
  }

  /** The expression as a {@link ClassTaxonomy#FER7} label. */
  public int fer7Label() {
    return FER7_BY_CODE.get(expression);
  }
}
