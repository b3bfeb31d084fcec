package io.netanomaly.core.detect.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A Random Cut Forest's full state as UTF-8 JSON: randomcutforest-core's own state mapper
 * ({@link RandomCutForestMapper}, trees and samplers included, so a rebuilt forest scores exactly
 * like the original) turns the forest into the plain {@link RandomCutForestState} object, which
 * Jackson writes as JSON. Reading binds only that class's declared properties (no polymorphic
 * types, unknown properties rejected), so a model file cannot make it load other classes.
 * Stateless and thread-safe.
 */
final class RcfState {
  /** Longest JSON string accepted (the base64 point store); far above any sane forest. */
  private static final int MAX_STRING_CHARS = 512 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static {
    JSON.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build());
  }

  private RcfState() {}

  private static RandomCutForestMapper mapper() {
    RandomCutForestMapper m = new RandomCutForestMapper();
    m.setSaveTreeStateEnabled(true);
    m.setSaveExecutorContextEnabled(true);
    m.setSaveSamplerStateEnabled(true);
    m.setSaveCoordinatorStateEnabled(true);
    return m;
  }

  /** The forest's state as UTF-8 JSON. */
  static byte[] toJson(RandomCutForest forest) {
    try {
      return JSON.writeValueAsBytes(mapper().toState(forest));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Random Cut Forest state", e);
    }
  }

  /** Parses a state written by {@link #toJson}; throws IOException for malformed JSON. */
  static RandomCutForestState parse(byte[] json) throws IOException {
    return JSON.readValue(json, RandomCutForestState.class);
  }

  /** A new, independent forest from a parsed state (the state object must not be reused). */
  static RandomCutForest toForest(RandomCutForestState state) {
    return mapper().toModel(state);
  }

  /** A new, independent forest from JSON known to be good (written by this process or already validated). */
  static RandomCutForest forestOf(byte[] json) {
    try {
      return toForest(parse(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rebuild Random Cut Forest state", e);
    }
  }
}
