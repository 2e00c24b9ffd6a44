package io.alfer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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
    "io.alfer.oracle..",
    "io.alfer.console.."
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
            .matching("io.alfer.(ingest|trainer|embed|select|label|oracle|console)..")
            .should()
            .notDependOnEachOther()
            .because(
                "services talk over Kafka topics and object storage only, so each can be"
                    + " deployed, scaled and restarted on its own");
    rule.check(classes);
  }

  /** Root packages of every module: libraries, services and the command line. */
  static final String[] MODULES = {
    "io.alfer.core",
    "io.alfer.datasets",
    "io.alfer.al",
    "io.alfer.ml",
    "io.alfer.experiment",
    "io.alfer.kit",
    "io.alfer.testkit",
    "io.alfer.ingest",
    "io.alfer.trainer",
    "io.alfer.embed",
    "io.alfer.select",
    "io.alfer.label",
    "io.alfer.oracle",
    "io.alfer.console",
    "io.alfer.cli"
  };

  @Test
  void packagesWithinAModuleFormNoCycle() {
    for (String module : MODULES) {
      ArchRule rule =
          slices()
              .assignedFrom(topPackagesOf(module))
              .should()
              .beFreeOfCycles()
              .because(
                  "a package cycle makes a module one lump: no part of it can be read, tested or"
                      + " moved without all the others");
      rule.check(classes);
    }
  }

  @Test
  void benchmarksLiveOutsideLibraryAndServiceCode() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(concat(LIBRARIES, SERVICES))
            .should()
            .haveSimpleNameEndingWith("Benchmark")
            .orShould()
            .resideInAPackage("..bench..")
            .because(
                "a benchmark is a command (alfer bench …, in cli/), not code a service ships or a"
                    + " library's users link");
    rule.check(classes);
  }

  @Test
  void eachServiceKeepsItsMetricsInItsMetricsPackage() {
    ArchRule rule =
        classes()
            .that()
            .resideInAnyPackage(SERVICES)
            .and()
            .haveSimpleNameEndingWith("Metrics")
            .should()
            .resideInAPackage("io.alfer.*.metrics")
            .because(
                "an operator looking for what a service measures finds it in the same place in"
                    + " every service");
    rule.check(classes);
  }

  /**
   * Slices of one module: its root package is one slice, each package right below it (with its
   * sub-packages) another; classes outside the module are in none.
   */
  private static SliceAssignment topPackagesOf(String module) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals(module)) {
          return SliceIdentifier.of(module);
        }
        if (!pkg.startsWith(module + ".")) {
          return SliceIdentifier.ignore();
        }
        String rest = pkg.substring(module.length() + 1);
        int dot = rest.indexOf('.');
        return SliceIdentifier.of(module + "." + (dot < 0 ? rest : rest.substring(0, dot)));
      }

      @Override
      public String getDescription() {
        return "the top packages of " + module;
      }
    };
  }

  @Test
  void theRulesSeeAlfersClasses() {
    // Guards against a rule passing vacuously because a module's classes were not imported.
    for (String root : concat(concat(SERVICES, LIBRARIES), "io.alfer.cli..")) {
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
