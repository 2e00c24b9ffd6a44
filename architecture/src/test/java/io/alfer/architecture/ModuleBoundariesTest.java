package io.alfer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of alfer's layout: libraries ({@code libs/}) are plain building blocks that
 * know nothing of the services; services ({@code services/}) talk to each other only over Kafka
 * topics and object storage, never through each other's classes.
 */
class ModuleBoundariesTest {
  /** Root packages of the services, one per folder under services/. */
  static final String[] SERVICES = {
    "io.alfer.ingest..",
    "io.alfer.trainer..",
    "io.alfer.embed..",
    "io.alfer.select..",
    "io.alfer.label..",
    "io.alfer.oracle.."
  };

  /** Root packages of the libraries under libs/ and the generated message types. */
  static final String[] LIBRARIES = {
    "io.alfer.proto..",
    "io.alfer.core..",
    "io.alfer.datasets..",
    "io.alfer.al..",
    "io.alfer.ml..",
    "io.alfer.experiment..",
    "io.alfer.kit..",
    "io.alfer.testkit.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void importAlfer() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.alfer");
  }

  @Test
  void librariesNeverImportServices() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(LIBRARIES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(concat(SERVICES, "io.alfer.cli.."))
            .because(
                "libraries are shared building blocks: a library that knows a service would tie"
                    + " every other service to it");
    rule.check(classes);
  }

  @Test
  void servicesNeverImportEachOther() {
    ArchRule rule =
        slices()
            .matching("io.alfer.(ingest|trainer|embed|select|label|oracle)..")
            .should()
            .notDependOnEachOther()
            .because(
                "services talk over Kafka topics and object storage only, so each can be"
                    + " deployed, scaled and restarted on its own");
    rule.check(classes);
  }

  /**
   * Modules whose packages already form no cycle. The rest (select, label, trainer, embed, libs/ml,
   * libs/al, cli) join this list as their cycles are broken; a module on it cannot grow one back.
   */
  static final String[] ACYCLIC = {
    "io.alfer.core", "io.alfer.kit", "io.alfer.experiment", "io.alfer.ingest", "io.alfer.oracle"
  };

  @Test
  void packagesWithinAModuleFormNoCycle() {
    for (String module : ACYCLIC) {
      ArchRule rule =
          slices()
              .matching(module + ".(*)..")
              .should()
              .beFreeOfCycles()
              .because(
                  "a package cycle makes a module one lump: no part of it can be read, tested or"
                      + " moved without all the others");
      rule.check(classes);
    }
  }

  @Test
  void theRulesSeeAlfersClasses() {
    // Guards against a rule passing vacuously because a module's classes were not imported.
    for (String root : concat(SERVICES, LIBRARIES)) {
      String pkg = root.substring(0, root.length() - 2);
      if (pkg.equals("io.alfer.testkit")) {
        continue; // test scope of the services; imported too, but not required here
      }
      org.assertj.core.api.Assertions.assertThat(classes.containPackage(pkg))
          .as(pkg + " classes imported (is its module a dependency of architecture/pom.xml?)")
          .isTrue();
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
