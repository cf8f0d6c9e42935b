package dev.atomicfile;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The core stays a plain library: Spring and Micrometer meet it only in the auto-configuration. */
class ArchitectureTest {

	private final JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.atomicfile");

	@Test
	void coreDependsOnNeitherSpringNorMicrometer() {
		noClasses().that()
			.resideInAPackage("dev.atomicfile")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.micrometer..")
			.check(this.core);
	}

	@Test
	void coreDoesNotDependOnItsAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("dev.atomicfile")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.atomicfile.autoconfigure..")
			.check(this.core);
	}

}
