package io.netanomaly.core.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * On-disk format of {@link ModelArchive}, format version 1.
 *
 * <p>A model file is a zip archive (the strict stored-only subset described in {@link StoredZip})
 * holding, in this order:
 *
 * <ol>
 *   <li>{@code manifest.json}: UTF-8 JSON object
 *       <pre>{@code
 * {"format": "netanomaly-model",
 *  "format_version": 1,
 *  "created_by": "netanomaly 0.1.0",
 *  "arrays": [{"name": "weights", "type": "float64", "length": 3, "sha256": "<64 hex>"}, ...],
 *  "content": { ...the archive's own manifest... }}
 * }</pre>
 *       {@code type} is one of {@code float64}, {@code float32}, {@code int32}, {@code int64};
 *       {@code length} counts elements; {@code sha256} is the lowercase hex SHA-256 of the
 *       array's entry bytes. Readers ignore unknown top-level keys.
 *   <li>{@code arrays/<name>.bin} for each array, in the manifest's order: the raw elements,
 *       little-endian, nothing else (so its size is {@code length} times the element size).
 *   <li>{@code checksum.sha256}: 64 lowercase hex characters, no newline: the SHA-256 of the exact
 *       bytes of {@code manifest.json} followed by every array entry's bytes in manifest order.
 * </ol>
 *
 * <p>Reading checks, and refuses with a one-line {@link ModelFormatException}: the zip structure
 * (see {@link StoredZip}), the entry names (no {@code ..}, leading {@code /} or backslash, no
 * duplicates, nothing the manifest does not list), the format name and version (checked before
 * the checksums so that a newer file gets a message asking to upgrade), each array's type and its
 * declared length against its actual entry size (before anything is allocated), the per-entry
 * CRC-32, the per-array SHA-256 and the whole-content checksum. Nothing in the file names a Java
 * class and no Java serialization is involved: loading a model never runs code from it.
 *
 * <p>Writing is atomic: a temporary file in the target directory, forced to disk, then renamed
 * over the target. The same archive always gives the same bytes. Arrays are streamed through a
 * 1 MiB buffer in both directions; only the arrays themselves are held in memory.
 *
 * <p>Stateless and thread-safe; concurrent writers of one path leave one complete file.
 */
final class ModelFiles {
  static final String FORMAT = "netanomaly-model";
  static final String MANIFEST = "manifest.json";
  static final String CHECKSUM = "checksum.sha256";
  static final String ARRAY_PREFIX = "arrays/";
  static final String ARRAY_SUFFIX = ".bin";

  /** Largest manifest accepted, in bytes: the manifest is parsed in memory. */
  static final long MAX_MANIFEST_BYTES = 256L << 20;

  /** Cap on all entry bytes read from one file (stored entries: equal to bytes on disk). */
  static final long MAX_TOTAL_BYTES = 4L << 30;

  private static final int CHUNK_BYTES = 1 << 20;
  private static final int SHA256_HEX = 64;
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final ObjectReader MANIFEST_READER =
      ModelArchive.JSON
          .reader()
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ModelFiles() {}

  static void write(ModelArchive archive, Path file) throws IOException {
    write(archive, file, createdBy());
  }

  /** Writes with an explicit {@code created_by}, so tests can pin the exact bytes. */
  static void write(ModelArchive archive, Path file, String createdBy) throws IOException {
    long largest = 0;
    for (Object a : archive.arrays().values()) {
      largest = Math.max(largest, (long) ArrayType.of(a).length(a) * ArrayType.of(a).elementBytes());
    }
    ByteBuffer chunk = chunkFor(largest);

    // First pass: sizes, CRCs and digests, which the manifest and the zip headers precede.
    ObjectNode manifest = ModelArchive.JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("format_version", ModelArchive.FORMAT_VERSION);
    manifest.put("created_by", createdBy);
    ArrayNode listed = manifest.putArray("arrays");
    List<Integer> crcs = new ArrayList<>();
    for (Map.Entry<String, Object> a : archive.arrays().entrySet()) {
      ArrayType type = ArrayType.of(a.getValue());
      int length = type.length(a.getValue());
      if ((long) length * type.elementBytes() > StoredZip.MAX_ENTRY_BYTES) {
        throw new IOException("array '" + a.getKey() + "' is larger than 2 GiB");
      }
      CRC32 crc = new CRC32();
      MessageDigest sha = sha256();
      forEachChunk(a.getValue(), type, length, chunk, c -> {
        crc.update(c);
        c.rewind();
        sha.update(c);
      });
      crcs.add((int) crc.getValue());
      listed.addObject()
          .put("name", a.getKey())
          .put("type", type.manifestName())
          .put("length", length)
          .put("sha256", HEX.formatHex(sha.digest()));
    }
    manifest.set("content", archive.manifestNode());
    byte[] manifestBytes = ModelArchive.JSON.writeValueAsBytes(manifest);

    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    // Not Files.createTempFile: its owner-only permissions would end up on the model file.
    Path temp =
        dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean moved = false;
    try {
      try (ch) {
        StoredZip.Writer zip = new StoredZip.Writer(ch);
        MessageDigest total = sha256();
        total.update(manifestBytes);
        zip.add(MANIFEST, manifestBytes);
        int i = 0;
        for (Map.Entry<String, Object> a : archive.arrays().entrySet()) {
          ArrayType type = ArrayType.of(a.getValue());
          int length = type.length(a.getValue());
          zip.begin(arrayEntry(a.getKey()), (long) length * type.elementBytes(), crcs.get(i++));
          forEachChunk(a.getValue(), type, length, chunk, c -> {
            total.update(c);
            c.rewind();
            zip.write(c);
          });
        }
        zip.add(CHECKSUM, HEX.formatHex(total.digest()).getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  static ModelArchive read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch);
    } catch (RuntimeException e) {
      // A safety net: whatever a damaged file trips, the caller sees a format error.
      throw new ModelFormatException("model file could not be read: " + oneLine(e), e);
    }
  }

  private static ModelArchive read(FileChannel ch) throws IOException {
    List<StoredZip.Entry> entries = StoredZip.readDirectory(ch);
    Map<String, StoredZip.Entry> byName = new HashMap<>();
    long totalBytes = 0;
    for (StoredZip.Entry e : entries) {
      byName.put(e.name(), e);
      totalBytes += e.size();
    }
    if (totalBytes > MAX_TOTAL_BYTES) {
      throw new ModelFormatException("model file holds more than 4 GiB of data");
    }
    StoredZip.Entry manifestEntry = byName.get(MANIFEST);
    if (manifestEntry == null) {
      throw new ModelFormatException("not a netanomaly model: the file has no " + MANIFEST);
    }
    if (manifestEntry.size() > MAX_MANIFEST_BYTES) {
      throw new ModelFormatException(MANIFEST + " is larger than 256 MiB");
    }
    byte[] manifestBytes = StoredZip.readAll(ch, manifestEntry);
    ObjectNode manifest = parseManifest(manifestBytes);
    checkVersion(manifest);
    List<ListedArray> listed = listedArrays(manifest);
    JsonNode content = manifest.get("content");
    if (content == null || !content.isObject()) {
      throw new ModelFormatException(MANIFEST + " has no 'content' object");
    }
    checkEntries(entries, byName, listed);

    MessageDigest total = sha256();
    total.update(manifestBytes);
    long largest = 0;
    for (ListedArray a : listed) {
      largest = Math.max(largest, a.length * a.type.elementBytes());
    }
    ByteBuffer chunk = chunkFor(largest);
    Map<String, Object> arrays = new LinkedHashMap<>();
    for (ListedArray a : listed) {
      Object values = a.type.allocate((int) a.length);
      MessageDigest sha = sha256();
      int[] at = {0};
      StoredZip.stream(ch, byName.get(arrayEntry(a.name)), chunk, c -> {
        total.update(c);
        c.rewind();
        sha.update(c);
        c.rewind();
        int n = c.remaining() / a.type.elementBytes();
        a.type.decode(c, values, at[0]);
        at[0] += n;
      });
      if (!HEX.formatHex(sha.digest()).equals(a.sha256)) {
        throw checksumMismatch();
      }
      arrays.put(a.name, values);
    }
    StoredZip.Entry checksumEntry = byName.get(CHECKSUM);
    if (checksumEntry.size() != SHA256_HEX) {
      throw new ModelFormatException(CHECKSUM + " does not hold one SHA-256 in hex");
    }
    String stored = new String(StoredZip.readAll(ch, checksumEntry), StandardCharsets.US_ASCII);
    if (!HEX.formatHex(total.digest()).equals(stored)) {
      throw checksumMismatch();
    }
    return new ModelArchive((ObjectNode) content, arrays);
  }

  /** An array as the manifest lists it, checked for shape but not yet against the zip. */
  private record ListedArray(String name, ArrayType type, long length, String sha256) {}

  private static ObjectNode parseManifest(byte[] bytes) throws ModelFormatException {
    JsonNode node;
    try {
      node = MANIFEST_READER.readTree(bytes);
    } catch (JacksonException e) {
      throw new ModelFormatException("not a netanomaly model: " + MANIFEST + " is not valid JSON");
    } catch (IOException e) {
      throw new ModelFormatException("not a netanomaly model: " + MANIFEST + " is unreadable");
    }
    if (node == null || !node.isObject()) {
      throw new ModelFormatException("not a netanomaly model: " + MANIFEST + " is not an object");
    }
    JsonNode format = node.get("format");
    if (format == null || !FORMAT.equals(format.asText(null)) || !format.isTextual()) {
      throw new ModelFormatException(
          "not a netanomaly model: " + MANIFEST + " lacks \"format\": \"" + FORMAT + "\"");
    }
    return (ObjectNode) node;
  }

  private static void checkVersion(ObjectNode manifest) throws ModelFormatException {
    JsonNode v = manifest.get("format_version");
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new ModelFormatException(MANIFEST + " has no integer format_version");
    }
    long version = v.asLong();
    int supported = ModelArchive.FORMAT_VERSION;
    if (version > supported) {
      throw new ModelFormatException(
          "model format version " + version + " is newer than this netanomaly supports ("
              + supported + "); upgrade netanomaly");
    }
    if (version != supported) {
      throw new ModelFormatException(
          "model format version " + version + " is not supported by this netanomaly (it reads "
              + supported + ")");
    }
  }

  private static List<ListedArray> listedArrays(ObjectNode manifest) throws ModelFormatException {
    JsonNode arrays = manifest.get("arrays");
    if (arrays == null || !arrays.isArray()) {
      throw new ModelFormatException(MANIFEST + " has no 'arrays' list");
    }
    List<ListedArray> out = new ArrayList<>();
    for (JsonNode a : arrays) {
      JsonNode name = a.get("name");
      JsonNode type = a.get("type");
      JsonNode length = a.get("length");
      JsonNode sha = a.get("sha256");
      if (name == null || !name.isTextual()
          || !name.asText().matches("[A-Za-z0-9_.\\-]{1,200}") || name.asText().contains("..")) {
        throw new ModelFormatException(MANIFEST + " lists an array without a valid name");
      }
      String n = name.asText();
      ArrayType t = type == null || !type.isTextual() ? null : ArrayType.byManifestName(type.asText());
      if (t == null) {
        throw new ModelFormatException(
            "unknown array type " + (type == null ? "(none)" : type.toString()) + " for array '"
                + n + "'");
      }
      if (length == null || !length.isIntegralNumber() || !length.canConvertToLong()
          || length.asLong() < 0 || length.asLong() > Integer.MAX_VALUE - 8) {
        throw new ModelFormatException("array '" + n + "' has no valid length");
      }
      if (sha == null || !sha.isTextual() || !sha.asText().matches("[0-9a-f]{64}")) {
        throw new ModelFormatException("array '" + n + "' has no valid sha256");
      }
      out.add(new ListedArray(n, t, length.asLong(), sha.asText()));
    }
    return out;
  }

  /** The zip must hold exactly the manifest, the listed arrays and the checksum, in that order. */
  private static void checkEntries(
      List<StoredZip.Entry> entries, Map<String, StoredZip.Entry> byName, List<ListedArray> listed)
      throws ModelFormatException {
    List<String> expected = new ArrayList<>();
    expected.add(MANIFEST);
    for (ListedArray a : listed) {
      String entry = arrayEntry(a.name);
      if (expected.contains(entry)) {
        throw new ModelFormatException(MANIFEST + " lists array '" + a.name + "' twice");
      }
      expected.add(entry);
    }
    expected.add(CHECKSUM);
    for (StoredZip.Entry e : entries) {
      if (!expected.contains(e.name())) {
        throw new ModelFormatException("unexpected entry '" + e.name() + "' in model file");
      }
    }
    for (String name : expected) {
      if (!byName.containsKey(name)) {
        throw new ModelFormatException("model file lacks entry '" + name + "'");
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!entries.get(i).name().equals(expected.get(i))) {
        throw new ModelFormatException("model file entries are out of order");
      }
    }
    for (ListedArray a : listed) {
      long declared = a.length * a.type.elementBytes();
      long actual = byName.get(arrayEntry(a.name)).size();
      if (declared != actual) {
        throw new ModelFormatException(
            "array '" + a.name + "' declares " + a.length + " " + a.type.manifestName()
                + " values (" + declared + " bytes) but its entry holds " + actual + " bytes");
      }
    }
  }

  @FunctionalInterface
  private interface ChunkConsumer {
    void accept(ByteBuffer chunk) throws IOException;
  }

  private static void forEachChunk(
      Object array, ArrayType type, int length, ByteBuffer chunk, ChunkConsumer sink)
      throws IOException {
    int perChunk = chunk.capacity() / type.elementBytes();
    for (int from = 0; from < length; from += perChunk) {
      type.encode(array, from, Math.min(perChunk, length - from), chunk);
      sink.accept(chunk);
    }
  }

  /** A little-endian buffer of up to 1 MiB, no larger than needed, a multiple of 8 bytes. */
  private static ByteBuffer chunkFor(long largestEntry) {
    int size = (int) Math.max(8, Math.min(CHUNK_BYTES, (largestEntry + 7) & ~7L));
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  static String arrayEntry(String arrayName) {
    return ARRAY_PREFIX + arrayName + ARRAY_SUFFIX;
  }

  private static ModelFormatException checksumMismatch() {
    return new ModelFormatException("checksum mismatch: the file is corrupted or was modified");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String createdBy() {
    String v = ModelFiles.class.getPackage().getImplementationVersion();
    return "netanomaly " + (v == null ? "(development build)" : v);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return s.replaceAll("\\s+", " ");
  }
}
