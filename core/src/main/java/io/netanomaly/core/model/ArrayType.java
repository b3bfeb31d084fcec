package io.netanomaly.core.model;

import java.nio.ByteBuffer;

/**
 * The element types a model file stores, with their manifest names and little-endian encoding.
 * Encoding and decoding copy bits unchanged (NaN payloads and -0.0 survive). Stateless and
 * thread-safe.
 */
enum ArrayType {
  FLOAT64("float64", 8),
  FLOAT32("float32", 4),
  INT32("int32", 4),
  INT64("int64", 8);

  private final String manifestName;
  private final int elementBytes;

  ArrayType(String manifestName, int elementBytes) {
    this.manifestName = manifestName;
    this.elementBytes = elementBytes;
  }

  /** The name written in the manifest's {@code type} field. */
  String manifestName() {
    return manifestName;
  }

  /** Bytes per element. */
  int elementBytes() {
    return elementBytes;
  }

  /** The type for a manifest name, or null when the name is not one of ours. */
  static ArrayType byManifestName(String name) {
    for (ArrayType t : values()) {
      if (t.manifestName.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The type of a Java array held by a {@link ModelArchive}. */
  static ArrayType of(Object array) {
    if (array instanceof double[]) {
      return FLOAT64;
    } else if (array instanceof float[]) {
      return FLOAT32;
    } else if (array instanceof int[]) {
      return INT32;
    } else if (array instanceof long[]) {
      return INT64;
    }
    throw new IllegalArgumentException("not a model array: " + array.getClass());
  }

  int length(Object array) {
    return switch (this) {
      case FLOAT64 -> ((double[]) array).length;
      case FLOAT32 -> ((float[]) array).length;
      case INT32 -> ((int[]) array).length;
      case INT64 -> ((long[]) array).length;
    };
  }

  Object allocate(int length) {
    return switch (this) {
      case FLOAT64 -> new double[length];
      case FLOAT32 -> new float[length];
      case INT32 -> new int[length];
      case INT64 -> new long[length];
    };
  }

  /**
   * Writes {@code count} elements from {@code array[from..]} to {@code out} (little-endian, from
   * position 0) and leaves {@code out} flipped for reading.
   */
  void encode(Object array, int from, int count, ByteBuffer out) {
    out.clear();
    switch (this) {
      case FLOAT64 -> out.asDoubleBuffer().put((double[]) array, from, count);
      case FLOAT32 -> out.asFloatBuffer().put((float[]) array, from, count);
      case INT32 -> out.asIntBuffer().put((int[]) array, from, count);
      case INT64 -> out.asLongBuffer().put((long[]) array, from, count);
    }
    out.limit(count * elementBytes);
  }

  /** Reads all elements remaining in {@code in} (little-endian) into {@code array[from..]}. */
  void decode(ByteBuffer in, Object array, int from) {
    int count = in.remaining() / elementBytes;
    switch (this) {
      case FLOAT64 -> in.asDoubleBuffer().get((double[]) array, from, count);
      case FLOAT32 -> in.asFloatBuffer().get((float[]) array, from, count);
      case INT32 -> in.asIntBuffer().get((int[]) array, from, count);
      case INT64 -> in.asLongBuffer().get((long[]) array, from, count);
    }
  }
}
