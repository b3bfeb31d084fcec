package io.netanomaly.stream.source;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Opens a {@link Source} from its textual form:
 * <ul>
 *   <li>{@code tcp://HOST:PORT} (IPv6 as {@code tcp://[::1]:9999}): {@link TcpSource};</li>
 *   <li>{@code file:PATH}, {@code file:PATH?follow}: {@link FileSource};</li>
 *   <li>{@code zeek:PATH}, {@code zeek:PATH?follow}: {@link ZeekSource};</li>
 *   <li>{@code -}: standard input, JSON Lines or CSV with a header ({@link StreamSource}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Sources {
  private Sources() {}

  /** What {@link #open} accepts, for usage messages. */
  public static final String FORMS = "tcp://HOST:PORT, file:PATH[?follow], zeek:PATH[?follow] or - (stdin)";

  /**
   * Opens a source (TCP sources connect on the first {@code next()}).
   *
   * @param spec the source as the user wrote it
   * @param notices receives connection and rotation notices, one line each
   * @throws IllegalArgumentException naming the accepted forms when {@code spec} is not one
   */
  public static Source open(String spec, SourceOptions options, MalformedLines malformed,
      Consumer<String> notices) {
    if (spec.equals("-")) {
      return new StreamSource(System.in, "stdin", malformed);
    }
    if (spec.startsWith("tcp://")) {
      String rest = spec.substring("tcp://".length());
      int colon = rest.lastIndexOf(':');
      if (colon <= 0 || colon == rest.length() - 1) {
        throw bad(spec);
      }
      String host = rest.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw bad(spec);
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw bad(spec);
      }
      return new TcpSource(host, port, options, malformed, notices);
    }
    boolean file = spec.startsWith("file:");
    if (file || spec.startsWith("zeek:")) {
      String rest = spec.substring(5);
      boolean follow = rest.endsWith("?follow");
      if (follow) {
        rest = rest.substring(0, rest.length() - "?follow".length());
      }
      if (rest.isEmpty()) {
        throw bad(spec);
      }
      Path path = Path.of(rest);
      return file ? new FileSource(path, follow, options, malformed, notices)
          : new ZeekSource(path, follow, options, malformed, notices, System::currentTimeMillis);
    }
    throw bad(spec);
  }

  private static IllegalArgumentException bad(String spec) {
    return new IllegalArgumentException("unknown source '" + spec + "'; expected " + FORMS);
  }
}
