package dev.atomicfile.testsupport;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what the library logs under {@code dev.atomicfile} at INFO and above (the level an
 * application runs with) or at a level of the test's choice. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger("dev.atomicfile");

	private final Level previousLevel = this.logger.getLevel();

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	/** Starts capturing at INFO. */
	public LogCapture() {
		this(Level.INFO);
	}

	/** Starts capturing at {@code level} (DEBUG for what the library skips on purpose). */
	public LogCapture(Level level) {
		this.appender.start();
		this.logger.setLevel(level);
		// Captured events are asserted on, not printed.
		this.logger.setAdditive(false);
		this.logger.addAppender(this.appender);
	}

	/** The events logged so far. */
	public List<ILoggingEvent> events() {
		return List.copyOf(this.appender.list);
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previousLevel);
		this.logger.setAdditive(true);
		this.appender.stop();
	}

}
