package dev.atomicfile.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link ListenerBeans} that the writer, reaper and recovery auto-configurations share. Each imports
 * this class, so it is there whichever of them is excluded, and registered once when several run.
 */
@Configuration(proxyBeanMethods = false)
final class ListenerBeansConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ListenerBeans atomicFileListenerBeans(ConfigurableListableBeanFactory beanFactory) {
		return new ListenerBeans(beanFactory);
	}

}
