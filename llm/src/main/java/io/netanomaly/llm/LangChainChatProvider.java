package io.netanomaly.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ChatProvider} over LangChain4j's Ollama and OpenAI chat models, blocking (one JSON
 * answer) or streaming (Ollama NDJSON, OpenAI SSE) as configured. LangChain4j's own retries and
 * request logging are off: the analyst retries and counts, and request logs would carry the
 * Authorization header. Thread-safe (the LangChain4j models are).
 */
final class LangChainChatProvider implements ChatProvider {
  private static final int MAX_REASON_CHARS = 200;

  private final ChatModel blocking;
  private final StreamingChatModel streaming;
  private final String apiKey;

  private LangChainChatProvider(ChatModel blocking, StreamingChatModel streaming, String apiKey) {
    this.blocking = blocking;
    this.streaming = streaming;
    this.apiKey = apiKey;
  }

  /** The provider for a configuration whose provider is Ollama or OpenAI. */
  static LangChainChatProvider create(LlmConfig c) {
    // HTTP/1.1: Ollama, vLLM and llama.cpp speak plain HTTP/1.1; an h2c upgrade attempt buys nothing
    JdkHttpClientBuilder http = JdkHttpClient.builder()
        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
        .connectTimeout(c.timeout())
        .readTimeout(c.timeout());
    switch (c.provider()) {
      case OLLAMA:
        if (c.streaming()) {
          return new LangChainChatProvider(null, OllamaStreamingChatModel.builder()
              .httpClientBuilder(http).baseUrl(c.baseUrl()).modelName(c.model())
              .numPredict(c.maxTokens()).temperature(c.temperature()).timeout(c.timeout())
              .logRequests(false).logResponses(false).build(), c.apiKey());
        }
        return new LangChainChatProvider(OllamaChatModel.builder()
            .httpClientBuilder(http).baseUrl(c.baseUrl()).modelName(c.model())
            .numPredict(c.maxTokens()).temperature(c.temperature()).timeout(c.timeout())
            .maxRetries(0).logRequests(false).logResponses(false).build(), null, c.apiKey());
      case OPENAI:
        if (c.streaming()) {
          return new LangChainChatProvider(null, OpenAiStreamingChatModel.builder()
              .httpClientBuilder(http).baseUrl(c.baseUrl()).apiKey(c.apiKey()).modelName(c.model())
              .maxTokens(c.maxTokens()).temperature(c.temperature()).timeout(c.timeout())
              .logRequests(false).logResponses(false).build(), c.apiKey());
        }
        return new LangChainChatProvider(OpenAiChatModel.builder()
            .httpClientBuilder(http).baseUrl(c.baseUrl()).apiKey(c.apiKey()).modelName(c.model())
            .maxTokens(c.maxTokens()).temperature(c.temperature()).timeout(c.timeout())
            .maxRetries(0).logRequests(false).logResponses(false).build(), null, c.apiKey());
      default:
        throw new IllegalArgumentException("provider: expected ollama or openai but got " + c.provider());
    }
  }

  @Override
  public String chat(String systemPrompt, String userPrompt) throws ChatFailure, InterruptedException {
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from(systemPrompt), UserMessage.from(userPrompt))
        .build();
    ChatResponse response = blocking != null ? callBlocking(request) : callStreaming(request);
    String text = response.aiMessage() == null ? null : response.aiMessage().text();
    if (text == null || text.isBlank()) {
      throw new ChatFailure(ChatFailure.Kind.TRANSIENT, "empty answer");
    }
    return text.strip();
  }

  private ChatResponse callBlocking(ChatRequest request) throws ChatFailure, InterruptedException {
    try {
      return blocking.chat(request);
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("chat call interrupted");
      }
      throw classify(e);
    }
  }

  private ChatResponse callStreaming(ChatRequest request) throws ChatFailure, InterruptedException {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    AtomicReference<StreamingHandle> handle = new AtomicReference<>();
    try {
      streaming.chat(request, new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
          handle.compareAndSet(null, context.streamingHandle());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
          done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      throw classify(e);
    }
    try {
      ChatResponse response = done.get();
      // a stream cut off before its last event has no finish reason: the answer is incomplete
      if (response.finishReason() == null) {
        throw new ChatFailure(ChatFailure.Kind.TRANSIENT, "stream ended before the final event");
      }
      return response;
    } catch (InterruptedException e) {
      StreamingHandle h = handle.get();
      if (h != null) {
        h.cancel();
      }
      throw e;
    } catch (ExecutionException e) {
      throw classify(e.getCause());
    }
  }

  /** Maps whatever LangChain4j or the JDK threw to a failure kind and a reason free of the key. */
  ChatFailure classify(Throwable error) {
    Integer status = null;
    boolean timeout = false;
    boolean refused = false;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpException && status == null) {
        status = ((HttpException) t).statusCode();
      }
      if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof HttpTimeoutException
          || t instanceof java.util.concurrent.TimeoutException) {
        timeout = true;
      }
      if (t instanceof ConnectException) {
        refused = true;
      }
    }
    if (timeout && (status == null || status == 408)) {
      return new ChatFailure(ChatFailure.Kind.TIMEOUT, "timed out");
    }
    if (status != null) {
      boolean transientStatus = status == 408 || status == 429 || status >= 500;
      return new ChatFailure(transientStatus ? ChatFailure.Kind.TRANSIENT : ChatFailure.Kind.PERMANENT,
          "HTTP " + status + bodyHint(error));
    }
    if (refused) {
      return new ChatFailure(ChatFailure.Kind.TRANSIENT, "connection refused");
    }
    Throwable root = rootCause(error);
    if (root instanceof JsonProcessingException) {
      return new ChatFailure(ChatFailure.Kind.TRANSIENT,
          "answer is not valid JSON: " + safe(((JsonProcessingException) root).getOriginalMessage()));
    }
    if (error instanceof UnresolvedModelServerException) {
      return new ChatFailure(ChatFailure.Kind.TRANSIENT, "server address not resolved");
    }
    ChatFailure.Kind kind = error instanceof NonRetriableException ? ChatFailure.Kind.PERMANENT
        : ChatFailure.Kind.TRANSIENT;
    return new ChatFailure(kind, "bad answer or transport error: " + describe(root));
  }

  private String bodyHint(Throwable error) {
    String m = error.getMessage();
    return m == null || m.isBlank() ? "" : ": " + safe(m);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }

  private String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " " + safe(m));
  }

  /** One line, at most {@value #MAX_REASON_CHARS} characters, the API key masked should a server echo it. */
  private String safe(String message) {
    String m = message.replaceAll("\\s+", " ").strip();
    if (apiKey != null) {
      m = m.replace(apiKey, "****");
    }
    return m.length() > MAX_REASON_CHARS ? m.substring(0, MAX_REASON_CHARS) + "..." : m;
  }
}
