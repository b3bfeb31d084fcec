package io.netanomaly.core.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test access to a model file's raw entries, to build damaged or tampered files. */
final class RawModelFile {
  private RawModelFile() {}

  /** The entries of a valid model file, in file order. */
  static LinkedHashMap<String, byte[]> entries(Path file) throws IOException {
    LinkedHashMap<String, byte[]> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (StoredZip.Entry e : StoredZip.readDirectory(ch)) {
        out.put(e.name(), StoredZip.readAll(ch, e));
      }
    }
    return out;
  }

  /** Writes the entries as given (names unchecked), with correct zip headers and CRCs. */
  static void write(Path file, Map<String, byte[]> entries) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      StoredZip.Writer zip = new StoredZip.Writer(ch);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.add(e.getKey(), e.getValue());
      }
      zip.finish();
    }
  }

  /** Replaces {@code checksum.sha256} with the checksum of the other entries, in file order. */
  static void recomputeChecksum(Map<String, byte[]> entries) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        if (!e.getKey().equals(ModelFiles.CHECKSUM)) {
          sha.update(e.getValue());
        }
      }
      entries.put(
          ModelFiles.CHECKSUM,
          HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SHA-256 of {@code bytes} in lowercase hex. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
