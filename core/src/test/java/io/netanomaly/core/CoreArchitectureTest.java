package io.netanomaly.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** core stays free of web, database, LLM and Kafka classes (DESIGN.md), and of Java serialization. */
class CoreArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.netanomaly.core");

  @Test
  void coreImportsNoWebDatabaseLlmOrKafkaClass() {
    noClasses().that().resideInAPackage("io.netanomaly.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "java.sql..", "javax.sql..", "java.net.http..", "com.sun.net.httpserver..",
            "io.javalin..", "jakarta.servlet..", "javax.servlet..", "org.eclipse.jetty..",
            "org.apache.kafka..", "dev.langchain4j..", "org.flywaydb..", "com.zaxxer.hikari..",
            "org.sqlite..", "org.postgresql..", "io.micrometer..", "org.knowm.xchart..", "picocli..")
        .because("core is the engine every entry point shares; transports and stores live in other modules")
        .check(CORE);
  }

  @Test
  void coreNeverUsesJavaSerialization() {
    noClasses().that().resideInAPackage("io.netanomaly.core..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
        .because("model files must never execute code on load")
        .check(CORE);
  }

  @Test
  void coreImportsAreNonEmpty() {
    // Guards the rules above against passing vacuously on an empty import.
    org.assertj.core.api.Assertions.assertThat(CORE.size()).isGreaterThan(10);
  }
}
