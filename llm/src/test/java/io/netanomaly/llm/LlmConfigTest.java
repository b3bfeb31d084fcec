package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmConfigTest {
  @Test
  void emptyEnvironmentMeansNoLlm() {
    LlmConfig c = LlmConfig.fromEnvironment(Map.of());

    assertThat(c.provider()).isEqualTo(LlmConfig.Provider.NONE);
  }

  @Test
  void ollamaUrlWithTheChatPathSelectsOllamaAtItsRoot() {
    LlmConfig c = LlmConfig.fromEnvironment(Map.of("OLLAMA_API_URL", "http://gpu-box:11434/api/chat",
        "MODEL_NAME", "mistral", "MAX_TOKENS", "512", "TEMPERATURE", "0.5"));

    assertThat(c.provider()).isEqualTo(LlmConfig.Provider.OLLAMA);
    assertThat(c.baseUrl()).isEqualTo("http://gpu-box:11434");
    assertThat(c.model()).isEqualTo("mistral");
    assertThat(c.maxTokens()).isEqualTo(512);
    assertThat(c.temperature()).isEqualTo(0.5);
    assertThat(c.apiKey()).isNull();
  }

  @Test
  void togetherKeyAloneSelectsTheOpenAiProviderAtTogether() {
    LlmConfig c = LlmConfig.fromEnvironment(Map.of("TOGETHER_API_KEY", "tgp_secret"));

    assertThat(c.provider()).isEqualTo(LlmConfig.Provider.OPENAI);
    assertThat(c.baseUrl()).isEqualTo(LlmConfig.TOGETHER_BASE_URL);
    assertThat(c.apiKey()).isEqualTo("tgp_secret");
    assertThat(c.model()).isEqualTo(LlmConfig.OPENAI_DEFAULT_MODEL);
  }

  @Test
  void netanomalyVariablesOverrideTheSeedNames() {
    LlmConfig c = LlmConfig.fromEnvironment(Map.of("NETANOMALY_LLM_PROVIDER", "OpenAI",
        "NETANOMALY_LLM_BASE_URL", "http://127.0.0.1:8000/v1/", "NETANOMALY_LLM_API_KEY", "local-key",
        "TOGETHER_API_KEY", "tgp_secret", "NETANOMALY_LLM_MODEL", "qwen", "MODEL_NAME", "mistral",
        "NETANOMALY_LLM_TIMEOUT_MS", "1500", "NETANOMALY_LLM_STREAM", "true", "OLLAMA_API_URL",
        "http://localhost:11434"));

    assertThat(c.provider()).isEqualTo(LlmConfig.Provider.OPENAI);
    assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(c.apiKey()).isEqualTo("local-key");
    assertThat(c.model()).isEqualTo("qwen");
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.streaming()).isTrue();
  }

  @Test
  void badValuesNameTheVariableAndWhatWasExpected() {
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("NETANOMALY_LLM_PROVIDER", "gpt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NETANOMALY_LLM_PROVIDER").hasMessageContaining("none, ollama, openai");
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("MAX_TOKENS", "lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_TOKENS").hasMessageContaining("integer");
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("MAX_TOKENS", "0")))
        .hasMessageContaining("MAX_TOKENS");
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("TEMPERATURE", "3.5")))
        .hasMessageContaining("TEMPERATURE").hasMessageContaining("0 to 2");
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("OLLAMA_API_URL", "localhost:11434")))
        .hasMessageContaining("OLLAMA_API_URL").hasMessageContaining("http(s) URL");
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("NETANOMALY_LLM_TIMEOUT_MS", "-5")))
        .hasMessageContaining("NETANOMALY_LLM_TIMEOUT_MS");
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("NETANOMALY_LLM_STREAM", "yes")))
        .hasMessageContaining("NETANOMALY_LLM_STREAM").hasMessageContaining("true or false");
  }

  @Test
  void builderRefusesOutOfRangeSettings() {
    assertThatThrownBy(() -> LlmConfig.builder().queueCapacity(0).build()).hasMessageContaining("queueCapacity");
    assertThatThrownBy(() -> LlmConfig.builder().timeout(Duration.ZERO).build()).hasMessageContaining("timeout");
    assertThatThrownBy(() -> LlmConfig.builder().maxAttempts(0).build()).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> LlmConfig.builder().apiKey("has space").build()).hasMessageContaining("apiKey");
  }

  @Test
  void toStringMasksTheKey() {
    LlmConfig c = LlmConfig.builder().provider(LlmConfig.Provider.OPENAI).apiKey("tgp_v1_very-secret").build();

    assertThat(c.toString()).doesNotContain("tgp_v1_very-secret").contains("apiKey=****");
    assertThat(c.describe()).doesNotContain("tgp_v1_very-secret")
        .isEqualTo("openai " + c.model() + " at " + c.baseUrl());
    assertThat(LlmConfig.fromEnvironment(Map.of()).describe()).isEqualTo("off");
  }

  @Test
  void changingTheProviderOfACopyPicksTheNewDefaults() {
    LlmConfig ollama = LlmConfig.builder().provider(LlmConfig.Provider.OLLAMA).build();
    LlmConfig openai = ollama.toBuilder().provider(LlmConfig.Provider.OPENAI).build();

    assertThat(ollama.baseUrl()).isEqualTo(LlmConfig.OLLAMA_DEFAULT_BASE_URL);
    assertThat(openai.baseUrl()).isEqualTo(LlmConfig.TOGETHER_BASE_URL);
    assertThat(openai.model()).isEqualTo(LlmConfig.OPENAI_DEFAULT_MODEL);
  }
}
