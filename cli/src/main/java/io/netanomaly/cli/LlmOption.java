package io.netanomaly.cli;

import io.netanomaly.llm.LlmConfig;
import java.util.HashMap;
import java.util.Map;

/** The LLM analyst's settings for serve and watch: the environment, with {@code --llm} choosing the provider. */
final class LlmOption {
  private LlmOption() {}

  /**
   * @param provider the {@code --llm} value, or null to leave the choice to the environment
   * @throws UsageException naming the setting that is wrong
   */
  static LlmConfig config(String provider) {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (provider != null) {
      env.put("NETANOMALY_LLM_PROVIDER", provider);
    }
    try {
      return LlmConfig.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
