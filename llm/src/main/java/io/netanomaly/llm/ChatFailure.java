package io.netanomaly.llm;

/**
 * Why one chat call failed, already classified for the retry policy. The message is short and
 * free of secrets, fit for logs and for {@link Analysis#failureReason()}.
 */
final class ChatFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** How a failure bears on retrying. */
  enum Kind {
    /** The call took longer than the timeout; worth another try. */
    TIMEOUT,
    /** Server error, rate limit, refused connection, broken answer; worth another try. */
    TRANSIENT,
    /** Wrong key, unknown model, rejected request; the same request will fail again. */
    PERMANENT
  }

  private final Kind kind;

  ChatFailure(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  boolean retriable() {
    return kind != Kind.PERMANENT;
  }
}
