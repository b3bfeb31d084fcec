package io.netanomaly.core.model;

import java.io.IOException;

/** A model file that cannot be loaded: the message is one line saying why (checksum, version, truncation...). */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
