package dev.atomicfile.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.atomicfile.AtomicFileWriter;
import dev.atomicfile.CommitRecovery;
import dev.atomicfile.OrphanReaper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configurations as Spring Boot loads them: one per concern, all listed for Boot to find,
 * shaped like Boot's own, and together the same beans as ever.
 */
class AutoConfigurationLayoutTests {

	private static final List<Class<?>> AUTO_CONFIGURATIONS = List.of(AtomicFileAutoConfiguration.class,
			OrphanReaperAutoConfiguration.class, CommitRecoveryAutoConfiguration.class,
			AtomicFileMetricsAutoConfiguration.class, VolumeStartupCheckAutoConfiguration.class,
			AtomicFileHealthContributorAutoConfiguration.class, AtomicFileEndpointAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AUTO_CONFIGURATIONS.toArray(Class<?>[]::new)));

	@Test
	void everyAutoConfigurationIsListedForBootToFind() throws IOException {
		try (InputStream imports = getClass()
			.getResourceAsStream("/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(imports).isNotNull();
			assertThat(new String(imports.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip))
				.containsExactlyInAnyOrderElementsOf(AUTO_CONFIGURATIONS.stream().map(Class::getName).toList());
		}
	}

	@Test
	void autoConfigurationsArePublicFinalAndTheirBeansReplaceable() {
		for (Class<?> type : AUTO_CONFIGURATIONS) {
			assertThat(type).isPublic().isFinal().hasAnnotation(AutoConfiguration.class);
		}
		for (Class<?> configuration : configurationClasses()) {
			for (Method method : configuration.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Bean.class)) {
					String name = configuration.getSimpleName() + "." + method.getName();
					assertThat(Modifier.isPublic(method.getModifiers())).as("%s is public", name).isFalse();
					assertThat(method.isAnnotationPresent(ConditionalOnMissingBean.class))
						.as("%s is @ConditionalOnMissingBean", name)
						.isTrue();
				}
			}
		}
	}

	@Test
	void replaceableBeansArePublic() {
		for (Class<?> type : List.of(ConfiguredPathsReaper.class, OrphanReaperApplicationRunner.class,
				PeriodicOrphanReaper.class, ConfiguredPathsRecovery.class, StartupCommitRecovery.class,
				AtomicFileMetrics.class, AtomicFileWriterBuilderCustomizer.class,
				OrphanReaperBuilderCustomizer.class, VolumeStartupCheck.class, ReapHistory.class,
				AtomicFileEndpoint.class, AtomicFileHealthIndicator.class)) {
			assertThat(Modifier.isPublic(type.getModifiers())).as(type.getName()).isTrue();
			assertThat(type.getConstructors().length + (type.isInterface() ? 1 : 0)).as(type.getName()).isPositive();
		}
	}

	@Test
	void defaultsGiveADurableWriterAReaperARecoveryTheirStartupPassesAndCounters() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AtomicFileWriter.class)
				.hasSingleBean(OrphanReaper.class)
				.hasSingleBean(ConfiguredPathsReaper.class)
				.hasSingleBean(OrphanReaperApplicationRunner.class)
				.hasSingleBean(CommitRecovery.class)
				.hasSingleBean(ConfiguredPathsRecovery.class)
				.hasSingleBean(StartupCommitRecovery.class)
				.hasSingleBean(AtomicFileMetrics.class)
				.hasSingleBean(ListenerBeans.class)
				.hasSingleBean(AtomicFileProperties.class)
				.hasSingleBean(VolumeStartupCheck.class)
				.hasSingleBean(ReapHistory.class)
				.hasBean("atomicFileHealthIndicator")
				.doesNotHaveBean(AtomicFileEndpoint.class)
				.doesNotHaveBean(PeriodicOrphanReaper.class);
			assertThat(context).getBean("atomicFileListenerBeans").isInstanceOf(ListenerBeans.class);
		});
	}

	@Test
	void whenDisabledNoBeanIsRegistered() {
		this.contextRunner.withPropertyValues("atomicfile.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomicFileWriter.class)
				.doesNotHaveBean(OrphanReaper.class)
				.doesNotHaveBean(ConfiguredPathsReaper.class)
				.doesNotHaveBean(OrphanReaperApplicationRunner.class)
				.doesNotHaveBean(CommitRecovery.class)
				.doesNotHaveBean(StartupCommitRecovery.class)
				.doesNotHaveBean(AtomicFileMetrics.class)
				.doesNotHaveBean(ListenerBeans.class)
				.doesNotHaveBean(VolumeStartupCheck.class)
				.doesNotHaveBean(ReapHistory.class)
				.doesNotHaveBean("atomicFileHealthIndicator")
				.doesNotHaveBean(AtomicFileProperties.class));
	}

	/** Whether every class a configuration's {@code @ConditionalOnClass} names is on the class path. */
	private static boolean loadable(Class<?> configuration) {
		ConditionalOnClass condition = configuration.getAnnotation(ConditionalOnClass.class);
		return condition == null || Arrays.stream(condition.name())
			.allMatch((name) -> ClassUtils.isPresent(name, AutoConfigurationLayoutTests.class.getClassLoader()));
	}

	/** The auto-configurations, their nested configurations and what they import. */
	private static List<Class<?>> configurationClasses() {
		List<Class<?>> classes = new ArrayList<>();
		for (Class<?> type : AUTO_CONFIGURATIONS) {
			classes.add(type);
			// A nested configuration for the other Boot line's API cannot even be reflected on here.
			classes.addAll(List.of(type.getDeclaredClasses()).stream().filter(AutoConfigurationLayoutTests::loadable).toList());
			Import imports = type.getAnnotation(Import.class);
			if (imports != null) {
				classes.addAll(List.of(imports.value()));
			}
		}
		return classes;
	}

}
