package io.netanomaly.llm;

/**
 * One chat call to an LLM: a system and a user message in, the answer's text out. Implementations
 * are thread-safe and make exactly one HTTP call per {@link #chat} (no retries of their own: the
 * analyst retries and counts).
 */
interface ChatProvider {
  /**
   * Asks once and waits for the whole answer.
   *
   * @return the answer's text, never blank
   * @throws ChatFailure when the call failed, with a reason free of secrets
   * @throws InterruptedException when the waiting thread is interrupted; the call is cancelled
   */
  String chat(String systemPrompt, String userPrompt) throws ChatFailure, InterruptedException;
}
