package io.netanomaly.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The modules depend on each other only as DESIGN.md draws it (the cli sees every module). */
class ModuleBoundariesTest {
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.netanomaly");

  @Test
  void everyModuleIsImported() {
    for (String pkg : new String[] {"core", "llm", "store", "stream", "server", "report", "cli"}) {
      Assertions.assertThat(ALL.stream().anyMatch(c -> c.getPackageName().startsWith("io.netanomaly." + pkg)))
          .as(pkg).isTrue();
    }
  }

  @Test
  void llmAndStoreKnowOnlyCore() {
    noClasses().that().resideInAPackage("io.netanomaly.llm..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netanomaly.store..", "io.netanomaly.stream..",
            "io.netanomaly.server..", "io.netanomaly.report..", "io.netanomaly.cli..")
        .check(ALL);
    noClasses().that().resideInAPackage("io.netanomaly.store..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netanomaly.llm..", "io.netanomaly.stream..",
            "io.netanomaly.server..", "io.netanomaly.report..", "io.netanomaly.cli..")
        .check(ALL);
  }

  @Test
  void streamAndReportNeverReachTheWebLayer() {
    noClasses().that().resideInAnyPackage("io.netanomaly.stream..", "io.netanomaly.report..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netanomaly.server..", "io.netanomaly.cli..",
            "io.javalin..")
        .check(ALL);
  }

  @Test
  void theServerIsNotACommandLine() {
    noClasses().that().resideInAPackage("io.netanomaly.server..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netanomaly.cli..", "picocli..")
        .check(ALL);
  }
}
