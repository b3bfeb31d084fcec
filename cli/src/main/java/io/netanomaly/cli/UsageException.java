package io.netanomaly.cli;

/** A bad combination of options that picocli cannot catch by itself; exits with code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
