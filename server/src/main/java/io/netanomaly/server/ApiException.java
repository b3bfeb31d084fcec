package io.netanomaly.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, with the HTTP status and the JSON body that says why: which field
 * (and which record of a batch), the value received and what was expected.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;
  private final String value;
  private final String expected;
  private final int index;

  ApiException(int status, String message, String field, String value, String expected, int index) {
    super(message);
    this.status = status;
    this.field = field;
    this.value = value;
    this.expected = expected;
    this.index = index;
  }

  static ApiException badRequest(String message, String expected) {
    return new ApiException(400, message, null, null, expected, -1);
  }

  int status() {
    return status;
  }

  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("error", getMessage());
    n.put("status", status);
    if (field != null) {
      n.put("field", field);
    }
    if (value != null) {
      n.put("value", value.length() > 200 ? value.substring(0, 200) + "…" : value);
    }
    if (expected != null) {
      n.put("expected", expected);
    }
    if (index >= 0) {
      n.put("index", index);
    }
    return n;
  }
}
