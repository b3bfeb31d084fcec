package io.netanomaly.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback stand-in for an LLM server speaking Ollama's {@code /api/chat} or OpenAI's
 * {@code /v1/chat/completions} exactly: one JSON document when the request says
 * {@code "stream": false}, Ollama NDJSON or OpenAI SSE when it says {@code true}. The behaviour
 * (answer, slow, HTTP error, garbage, truncated) can be switched between requests; every request
 * received is recorded.
 */
final class ProtocolServer implements AutoCloseable {
  enum Protocol { OLLAMA, OPENAI }

  enum Behaviour {
    /** A correct answer. */
    ANSWER,
    /** A correct answer after {@link #slowMillis}. */
    SLOW,
    /** HTTP 500 with the protocol's error body. */
    STATUS_500,
    /** HTTP 429 with the protocol's error body. */
    STATUS_429,
    /** HTTP 200 with a body that is not JSON. */
    GARBAGE,
    /** HTTP 200 with the answer cut off half-way (JSON cut, or a stream without its final event). */
    TRUNCATED
  }

  /** One request as received. */
  static final class Received {
    final String method;
    final String path;
    final String authorization;
    final String contentType;
    final JsonNode body;

    Received(String method, String path, String authorization, String contentType, JsonNode body) {
      this.method = method;
      this.path = path;
      this.authorization = authorization;
      this.contentType = contentType;
      this.body = body;
    }
  }

  static final String ANSWER = "What happened: the source probed many ports. Likely cause: a scan. Risk: medium. "
      + "Recommended actions: block the source.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Protocol protocol;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  volatile Behaviour behaviour = Behaviour.ANSWER;
  volatile long slowMillis = 3_000;

  private ProtocolServer(Protocol protocol, int port) throws IOException {
    this.protocol = protocol;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(protocol == Protocol.OLLAMA ? "/api/chat" : "/v1/chat/completions", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A server on a free loopback port. */
  static ProtocolServer start(Protocol protocol) throws IOException {
    return new ProtocolServer(protocol, 0);
  }

  /** A server on the given loopback port. */
  static ProtocolServer start(Protocol protocol, int port) throws IOException {
    return new ProtocolServer(protocol, port);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The base URL a client is configured with: Ollama's root, or the OpenAI root with {@code /v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port() + (protocol == Protocol.OPENAI ? "/v1" : "");
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  int hits() {
    return received.size();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = JSON.readTree(raw);
      received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
          ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"), body));
      // Ollama streams unless told not to; OpenAI answers one document unless told to stream
      JsonNode streamFlag = body.get("stream");
      boolean stream = protocol == Protocol.OLLAMA ? streamFlag == null || streamFlag.asBoolean()
          : streamFlag != null && streamFlag.asBoolean();
      String model = body.path("model").asText();
      switch (behaviour) {
        case SLOW:
          try {
            Thread.sleep(slowMillis);
          } catch (InterruptedException e) {
            return;
          }
          answer(ex, model, stream, false);
          break;
        case STATUS_500:
          error(ex, 500, "internal error");
          break;
        case STATUS_429:
          error(ex, 429, "rate limit exceeded");
          break;
        case GARBAGE:
          send(ex, 200, "application/json", "<html>502 Bad Gateway</html>{{{");
          break;
        case TRUNCATED:
          answer(ex, model, stream, true);
          break;
        default:
          answer(ex, model, stream, false);
      }
    } finally {
      ex.close();
    }
  }

  private void answer(HttpExchange ex, String model, boolean stream, boolean truncated) throws IOException {
    List<String> pieces = List.of(ANSWER.substring(0, 40), ANSWER.substring(40, 90), ANSWER.substring(90));
    if (!stream) {
      String doc = protocol == Protocol.OLLAMA ? ollamaDocument(model) : openAiDocument(model);
      send(ex, 200, "application/json", truncated ? doc.substring(0, doc.length() / 2) : doc);
      return;
    }
    ex.getResponseHeaders().set("Content-Type",
        protocol == Protocol.OLLAMA ? "application/x-ndjson" : "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    for (int i = 0; i < pieces.size(); i++) {
      if (truncated && i == 2) {
        break;
      }
      write(out, protocol == Protocol.OLLAMA ? ollamaChunk(model, pieces.get(i)) + "\n"
          : "data: " + openAiChunk(model, pieces.get(i), i == 0) + "\n\n");
    }
    if (!truncated) {
      if (protocol == Protocol.OLLAMA) {
        write(out, ollamaFinal(model) + "\n");
      } else {
        write(out, "data: " + openAiFinalChunk(model) + "\n\n");
        write(out, "data: [DONE]\n\n");
      }
    }
  }

  private void error(HttpExchange ex, int status, String message) throws IOException {
    ObjectNode err = JSON.createObjectNode();
    if (protocol == Protocol.OLLAMA) {
      err.put("error", message);
    } else {
      ObjectNode inner = err.putObject("error");
      inner.put("message", message);
      inner.put("type", status == 429 ? "rate_limit_exceeded" : "server_error");
      inner.putNull("param");
      inner.putNull("code");
    }
    send(ex, status, "application/json", err.toString());
  }

  private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String ollamaDocument(String model) {
    ObjectNode n = ollamaFinalNode(model);
    n.putObject("message").put("role", "assistant").put("content", ANSWER);
    return n.toString();
  }

  private static String ollamaChunk(String model, String content) {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", model);
    n.put("created_at", "2025-01-01T00:00:00.000000Z");
    n.putObject("message").put("role", "assistant").put("content", content);
    n.put("done", false);
    return n.toString();
  }

  private static String ollamaFinal(String model) {
    ObjectNode n = ollamaFinalNode(model);
    n.putObject("message").put("role", "assistant").put("content", "");
    return n.toString();
  }

  private static ObjectNode ollamaFinalNode(String model) {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", model);
    n.put("created_at", "2025-01-01T00:00:00.000000Z");
    n.put("done", true);
    n.put("done_reason", "stop");
    n.put("total_duration", 4_883_583_458L);
    n.put("load_duration", 1_334_875L);
    n.put("prompt_eval_count", 26);
    n.put("prompt_eval_duration", 342_546_000L);
    n.put("eval_count", 42);
    n.put("eval_duration", 4_535_599_000L);
    return n;
  }

  private static String openAiDocument(String model) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", "chatcmpl-1");
    n.put("object", "chat.completion");
    n.put("created", 1_735_689_600L);
    n.put("model", model);
    ArrayNode choices = n.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", ANSWER);
    choice.put("finish_reason", "stop");
    n.putObject("usage").put("prompt_tokens", 26).put("completion_tokens", 42).put("total_tokens", 68);
    return n.toString();
  }

  private static String openAiChunk(String model, String content, boolean first) {
    ObjectNode n = openAiChunkNode(model);
    ObjectNode choice = ((ArrayNode) n.get("choices")).addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (first) {
      delta.put("role", "assistant");
    }
    delta.put("content", content);
    choice.putNull("finish_reason");
    return n.toString();
  }

  private static String openAiFinalChunk(String model) {
    ObjectNode n = openAiChunkNode(model);
    ObjectNode choice = ((ArrayNode) n.get("choices")).addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.put("finish_reason", "stop");
    return n.toString();
  }

  private static ObjectNode openAiChunkNode(String model) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", "chatcmpl-1");
    n.put("object", "chat.completion.chunk");
    n.put("created", 1_735_689_600L);
    n.put("model", model);
    n.putArray("choices");
    return n;
  }
}
