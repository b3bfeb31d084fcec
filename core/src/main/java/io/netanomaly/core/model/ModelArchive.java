package io.netanomaly.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of one model file: a JSON manifest plus named numeric arrays. Data only: nothing in
 * it names a Java class and loading it never runs code. See {@link ModelFiles} for the on-disk
 * format (zip, little-endian arrays, SHA-256).
 *
 * <p>Immutable once built; the arrays returned are the archive's own and must not be modified.
 */
public final class ModelArchive {
  /** The model file format version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;

  static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode manifest;
  private final Map<String, Object> arrays;

  ModelArchive(ObjectNode manifest, Map<String, Object> arrays) {
    this.manifest = manifest;
    this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The manifest (a deep copy, so callers cannot change the archive). */
  public JsonNode manifest() {
    return manifest.deepCopy();
  }

  /** Names of all arrays, in insertion order. */
  public java.util.Set<String> arrayNames() {
    return arrays.keySet();
  }

  Map<String, Object> arrays() {
    return arrays;
  }

  ObjectNode manifestNode() {
    return manifest;
  }

  public double[] doubles(String name) throws ModelFormatException {
    return get(name, double[].class, "float64");
  }

  public float[] floats(String name) throws ModelFormatException {
    return get(name, float[].class, "float32");
  }

  public int[] ints(String name) throws ModelFormatException {
    return get(name, int[].class, "int32");
  }

  public long[] longs(String name) throws ModelFormatException {
    return get(name, long[].class, "int64");
  }

  private <T> T get(String name, Class<T> type, String typeName) throws ModelFormatException {
    Object a = arrays.get(name);
    if (a == null) {
      throw new ModelFormatException("model file lacks array '" + name + "'");
    }
    if (!type.isInstance(a)) {
      throw new ModelFormatException("array '" + name + "' is not " + typeName);
    }
    return type.cast(a);
  }

  /** Writes this archive to {@code file} atomically (temp file, then rename). */
  public void write(Path file) throws IOException {
    ModelFiles.write(this, file);
  }

  /** Reads and verifies a model file. */
  public static ModelArchive read(Path file) throws IOException {
    return ModelFiles.read(file);
  }

  /** Collects a manifest and arrays. Not thread-safe. */
  public static final class Builder {
    private final ObjectNode manifest = JSON.createObjectNode();
    private final Map<String, Object> arrays = new LinkedHashMap<>();

    /** The manifest being built; callers add their own nodes. */
    public ObjectNode manifest() {
      return manifest;
    }

    public Builder put(String name, double[] a) {
      return putArray(name, a);
    }

    public Builder put(String name, float[] a) {
      return putArray(name, a);
    }

    public Builder put(String name, int[] a) {
      return putArray(name, a);
    }

    public Builder put(String name, long[] a) {
      return putArray(name, a);
    }

    private Builder putArray(String name, Object a) {
      if (!name.matches("[A-Za-z0-9_.\\-]{1,200}")) {
        throw new IllegalArgumentException("bad array name: " + name);
      }
      if (arrays.putIfAbsent(name, a) != null) {
        throw new IllegalArgumentException("array written twice: " + name);
      }
      return this;
    }

    public ModelArchive build() {
      return new ModelArchive(manifest.deepCopy(), arrays);
    }
  }
}
