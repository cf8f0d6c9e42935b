package dev.atomicfile.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.atomicfile.AtomicFileListener;
import dev.atomicfile.CommitFailed;
import dev.atomicfile.CommitRecovered;
import dev.atomicfile.CommitSucceeded;
import dev.atomicfile.OrphanReaped;
import dev.atomicfile.WriteFailed;
import dev.atomicfile.WriteSucceeded;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * The {@link AtomicFileListener} beans, looked up when an event happens rather than when the
 * writer, the reaper and the recovery are created: a listener may itself depend on the writer (an
 * audit log that writes its own file), which would otherwise be a bean cycle. Every kind of event
 * is passed on: writes, commits, reaped orphans, recovered commits. Once every singleton exists
 * the list is fixed, so an event costs no bean lookup.
 */
final class ListenerBeans implements SmartInitializingSingleton {

	private final ConfigurableListableBeanFactory beanFactory;

	private final AtomicFileListener listener = new Dispatcher();

	private volatile @Nullable AtomicFileListener fixed;

	ListenerBeans(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/** One listener that passes every event to each listener bean, in order. */
	AtomicFileListener listener() {
		return this.listener;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.fixed = lookUp();
	}

	private AtomicFileListener current() {
		AtomicFileListener listeners = this.fixed;
		return (listeners != null) ? listeners : lookUp();
	}

	/** During startup a listener may still be under construction (and writing): it misses that event. */
	private AtomicFileListener lookUp() {
		List<AtomicFileListener> listeners = new ArrayList<>();
		for (String name : this.beanFactory.getBeanNamesForType(AtomicFileListener.class)) {
			if (!this.beanFactory.isCurrentlyInCreation(name)) {
				listeners.add(this.beanFactory.getBean(name, AtomicFileListener.class));
			}
		}
		AnnotationAwareOrderComparator.sort(listeners);
		return AtomicFileListener.composite(listeners);
	}

	private final class Dispatcher implements AtomicFileListener {

		@Override
		public void onWrite(WriteSucceeded event) {
			current().onWrite(event);
		}

		@Override
		public void onWriteFailure(WriteFailed event) {
			current().onWriteFailure(event);
		}

		@Override
		public void onOrphanReaped(OrphanReaped event) {
			current().onOrphanReaped(event);
		}

		@Override
		public void onCommit(CommitSucceeded event) {
			current().onCommit(event);
		}

		@Override
		public void onCommitFailure(CommitFailed event) {
			current().onCommitFailure(event);
		}

		@Override
		public void onCommitRecovered(CommitRecovered event) {
			current().onCommitRecovered(event);
		}

		@Override
		public String toString() {
			return "AtomicFileListener beans";
		}

	}

}
