package io.netanomaly.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The server's log file: one line per request (id, method, path, status, time, records and
 * anomalies), each LLM outcome, and every warning, rolled over at 10 MB with 5 old files kept;
 * written asynchronously (lines, never requests, are dropped when the disk falls behind).
 * Warnings also go to the console. API keys never appear: nothing logs request headers.
 */
final class ServerLog {
  private ServerLog() {}

  /** Starts writing the server log to {@code file}. */
  static void start(Path file) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{ISO8601} %-5level %logger{24} %msg%n");
    encoder.start();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(ctx);
    appender.setName("server-log");
    appender.setFile(file.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(ctx);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(5);
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(ctx);
    trigger.setMaxFileSize(FileSize.valueOf("10MB"));
    trigger.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder);
    appender.start();
    // Written from a queue so a request never waits for the disk; under overload lines are dropped, not requests.
    AsyncAppender async = new AsyncAppender();
    async.setContext(ctx);
    async.setName("server-log-async");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(appender);
    async.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(async);
    for (String name : new String[] {"netanomaly.requests", "netanomaly.llm", "netanomaly.incidents"}) {
      Logger l = ctx.getLogger(name);
      l.setLevel(Level.INFO);
      // Request lines go to the file only; the root's console appender keeps warnings.
      l.setAdditive(false);
      l.addAppender(async);
      l.addAppender(new WarningsToConsole(ctx, l.getName()));
    }
  }

  /** Passes this logger's warnings on to the console appender of the root logger. */
  // Unsynchronized: the synchronized base class made every request's log line take one lock.
  private static final class WarningsToConsole extends ch.qos.logback.core.UnsynchronizedAppenderBase<ILoggingEvent> {
    private final LoggerContext ctx;

    WarningsToConsole(LoggerContext ctx, String name) {
      this.ctx = ctx;
      setContext(ctx);
      setName("warnings-" + name);
      start();
    }

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
        var console = ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        if (console != null) {
          console.doAppend(event);
        }
      }
    }
  }
}
