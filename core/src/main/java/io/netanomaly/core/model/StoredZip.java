package io.netanomaly.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The subset of the zip format that model files use, written and read strictly.
 *
 * <p>Entries are stored (not compressed) with printable-ASCII names, no extra fields, no comments,
 * no data descriptors, no encryption and no Zip64; every timestamp is 1980-01-01 00:00 so the same
 * content always gives the same bytes. Entries lie back to back from offset 0, then comes the
 * central directory, then the 22-byte end record as the last bytes of the file. Any unzip tool
 * opens such a file.
 *
 * <p>The reader accepts nothing else and compares every header field with the value the writer
 * puts there, so a changed byte anywhere in the container is noticed: in a header by that
 * comparison (local headers are checked against the central directory), in entry data by the
 * CRC-32, which catches every error burst of up to 32 bits. Since nothing is compressed an entry
 * occupies exactly its size on disk: no decompression, hence no zip bomb; the bytes read are
 * bounded by the file size, which 32-bit offsets cap at 4 GiB.
 *
 * <p>Not thread-safe; callers own the channel.
 */
final class StoredZip {
  /** Largest entry accepted or written, in bytes (2 GiB - 1: Java arrays are int-indexed). */
  static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE;

  /** Largest file the 32-bit offsets can describe, in bytes. */
  static final long MAX_FILE_BYTES = 0xFFFF_FFFFL;

  private static final int LOC_SIG = 0x04034b50;
  private static final int CEN_SIG = 0x02014b50;
  private static final int END_SIG = 0x06054b50;
  private static final int LOC_LEN = 30;
  private static final int CEN_LEN = 46;
  private static final int END_LEN = 22;
  private static final int VERSION = 10; // 1.0: stored entries need nothing newer
  private static final int DOS_TIME = 0;
  private static final int DOS_DATE = (1 << 5) | 1; // 1980-01-01
  private static final int MAX_NAME = 255;

  private StoredZip() {}

  /** One entry of a zip read by {@link #readDirectory}: where its data starts and how long it is. */
  record Entry(String name, long dataOffset, long size, int crc) {}

  /** Receives consecutive chunks of an entry's data, each flipped for reading. */
  @FunctionalInterface
  interface ChunkSink {
    void accept(ByteBuffer chunk) throws IOException;
  }

  /**
   * Reads and checks the central directory and every local header. Returns the entries in file
   * order; their data has not been read yet (see {@link #stream}).
   */
  static List<Entry> readDirectory(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0) {
      throw new ModelFormatException("empty file: not a netanomaly model");
    }
    ByteBuffer head = le(ByteBuffer.allocate(4));
    if (size >= 4) {
      readFully(ch, head, 0);
      int sig = head.getInt(0);
      if (sig != LOC_SIG && sig != END_SIG) {
        throw new ModelFormatException("not a netanomaly model file (not a zip archive)");
      }
    }
    if (size < END_LEN) {
      throw new ModelFormatException("model file is truncated (" + size + " bytes)");
    }
    if (size > MAX_FILE_BYTES) {
      throw new ModelFormatException("file is larger than 4 GiB: not a netanomaly model");
    }
    ByteBuffer end = le(ByteBuffer.allocate(END_LEN));
    readFully(ch, end, size - END_LEN);
    if (end.getInt(0) != END_SIG) {
      throw new ModelFormatException(
          "model file is truncated or damaged (no zip end record at the end of the file)");
    }
    int count = u16(end, 10);
    long cenSize = u32(end, 12);
    long cenOffset = u32(end, 16);
    expect(u16(end, 4) == 0 && u16(end, 6) == 0, "end record", "disk number");
    expect(u16(end, 8) == count, "end record", "entry count");
    expect(u16(end, 20) == 0, "end record", "comment length");
    expect(cenOffset + cenSize == size - END_LEN, "end record", "directory position");
    expect(cenSize <= (long) count * (CEN_LEN + MAX_NAME), "end record", "directory size");

    ByteBuffer cen = le(ByteBuffer.allocate((int) cenSize));
    readFully(ch, cen, cenOffset);
    List<Entry> entries = new ArrayList<>(count);
    Set<String> names = new HashSet<>();
    int p = 0;
    long nextLoc = 0;
    for (int i = 0; i < count; i++) {
      String where = "directory entry " + i;
      expect(p + CEN_LEN <= cenSize, where, "length");
      expect(cen.getInt(p) == CEN_SIG, where, "signature");
      expect(u16(cen, p + 4) == VERSION, where, "version made by");
      expect(u16(cen, p + 6) == VERSION, where, "version needed");
      expect(u16(cen, p + 8) == 0, where, "flags");
      expect(u16(cen, p + 10) == 0, where, "compression method");
      expect(u16(cen, p + 12) == DOS_TIME && u16(cen, p + 14) == DOS_DATE, where, "timestamp");
      int crc = cen.getInt(p + 16);
      long stored = u32(cen, p + 20);
      long dataSize = u32(cen, p + 24);
      int nameLen = u16(cen, p + 28);
      expect(stored == dataSize, where, "compressed size");
      expect(nameLen > 0 && p + CEN_LEN + nameLen <= cenSize, where, "name length");
      expect(u16(cen, p + 30) == 0 && u16(cen, p + 32) == 0, where, "extra or comment length");
      expect(u16(cen, p + 34) == 0, where, "disk number");
      expect(u16(cen, p + 36) == 0 && cen.getInt(p + 38) == 0, where, "attributes");
      expect(u32(cen, p + 42) == nextLoc, where, "offset");
      byte[] nameBytes = new byte[nameLen];
      cen.get(p + CEN_LEN, nameBytes);
      String name = checkedName(nameBytes);
      if (!names.add(name)) {
        throw new ModelFormatException("duplicate entry '" + name + "' in model file");
      }
      if (dataSize > MAX_ENTRY_BYTES) {
        throw new ModelFormatException("entry '" + name + "' is larger than 2 GiB");
      }
      long dataOffset = nextLoc + LOC_LEN + nameLen;
      checkLocalHeader(ch, nextLoc, crc, dataSize, nameBytes, name);
      entries.add(new Entry(name, dataOffset, dataSize, crc));
      nextLoc = dataOffset + dataSize;
      expect(nextLoc <= cenOffset, where, "size");
      p += CEN_LEN + nameLen;
    }
    expect(p == cenSize, "end record", "directory size");
    expect(nextLoc == cenOffset, "end record", "directory offset");
    return entries;
  }

  /**
   * Reads an entry's data in chunks of {@code chunk.capacity()} bytes (the last may be shorter)
   * into {@code sink}, then checks its CRC-32. {@code chunk} capacity must be a multiple of 8 so
   * no array element straddles two chunks.
   */
  static void stream(FileChannel ch, Entry e, ByteBuffer chunk, ChunkSink sink) throws IOException {
    CRC32 crc = new CRC32();
    long pos = e.dataOffset();
    long left = e.size();
    while (left > 0) {
      int n = (int) Math.min(chunk.capacity(), left);
      chunk.clear().limit(n);
      readFully(ch, chunk, pos);
      chunk.flip();
      crc.update(chunk);
      chunk.rewind();
      sink.accept(chunk);
      pos += n;
      left -= n;
    }
    if ((int) crc.getValue() != e.crc()) {
      throw new ModelFormatException("checksum mismatch: the file is corrupted or was modified");
    }
  }

  /** Reads a whole (small) entry; the caller has checked its size. */
  static byte[] readAll(FileChannel ch, Entry e) throws IOException {
    byte[] out = new byte[(int) e.size()];
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    int[] at = {0};
    stream(ch, e, chunk, c -> {
      int n = c.remaining();
      c.get(out, at[0], n);
      at[0] += n;
    });
    return out;
  }

  private static void checkLocalHeader(
      FileChannel ch, long at, int crc, long size, byte[] name, String entry) throws IOException {
    ByteBuffer loc = le(ByteBuffer.allocate(LOC_LEN + name.length));
    readFully(ch, loc, at);
    String where = "local header of '" + entry + "'";
    expect(loc.getInt(0) == LOC_SIG, where, "signature");
    expect(u16(loc, 4) == VERSION, where, "version needed");
    expect(u16(loc, 6) == 0, where, "flags");
    expect(u16(loc, 8) == 0, where, "compression method");
    expect(u16(loc, 10) == DOS_TIME && u16(loc, 12) == DOS_DATE, where, "timestamp");
    expect(loc.getInt(14) == crc, where, "CRC");
    expect(u32(loc, 18) == size && u32(loc, 22) == size, where, "size");
    expect(u16(loc, 26) == name.length, where, "name length");
    expect(u16(loc, 28) == 0, where, "extra length");
    for (int i = 0; i < name.length; i++) {
      expect(loc.get(LOC_LEN + i) == name[i], where, "name");
    }
  }

  private static String checkedName(byte[] bytes) throws ModelFormatException {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        throw new ModelFormatException("entry name is not printable ASCII: not a netanomaly model");
      }
    }
    String name = new String(bytes, StandardCharsets.US_ASCII);
    if (name.startsWith("/") || name.contains("\\") || name.contains("..")) {
      String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
      throw new ModelFormatException("unsafe entry name '" + shown + "' in model file");
    }
    return name;
  }

  private static void expect(boolean ok, String where, String what) throws ModelFormatException {
    if (!ok) {
      throw new ModelFormatException(
          "model file is damaged: unexpected " + what + " in zip " + where);
    }
  }

  static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new ModelFormatException("model file is truncated");
      }
      pos += n;
    }
  }

  private static ByteBuffer le(ByteBuffer b) {
    return b.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int u16(ByteBuffer b, int at) {
    return b.getShort(at) & 0xFFFF;
  }

  private static long u32(ByteBuffer b, int at) {
    return b.getInt(at) & 0xFFFF_FFFFL;
  }

  /**
   * Writes entries one after another to a channel positioned at 0, then the directory on {@link
   * #finish}. The caller supplies each entry's size and CRC-32 up front (no data descriptors).
   */
  static final class Writer {
    private final FileChannel ch;
    private final List<byte[]> centralRecords = new ArrayList<>();
    private long position;
    private long entryLeft = -1;

    Writer(FileChannel ch) {
      this.ch = ch;
    }

    /** Starts an entry of {@code size} bytes whose CRC-32 is {@code crc}. */
    void begin(String name, long size, int crc) throws IOException {
      if (entryLeft > 0) {
        throw new IllegalStateException("previous entry incomplete");
      }
      byte[] n = name.getBytes(StandardCharsets.US_ASCII);
      if (n.length == 0 || n.length > MAX_NAME || size < 0 || size > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException("bad entry " + name + " of " + size + " bytes");
      }
      if (centralRecords.size() == 0xFFFF) {
        throw new IOException("too many entries for a model file");
      }
      ByteBuffer loc = le(ByteBuffer.allocate(LOC_LEN + n.length));
      loc.putInt(LOC_SIG).putShort((short) VERSION).putShort((short) 0).putShort((short) 0)
          .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt(crc)
          .putInt((int) size).putInt((int) size).putShort((short) n.length).putShort((short) 0)
          .put(n);
      ByteBuffer cen = le(ByteBuffer.allocate(CEN_LEN + n.length));
      cen.putInt(CEN_SIG).putShort((short) VERSION).putShort((short) VERSION)
          .putShort((short) 0).putShort((short) 0)
          .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt(crc)
          .putInt((int) size).putInt((int) size).putShort((short) n.length)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
          .putInt(0).putInt((int) position).put(n);
      centralRecords.add(cen.array());
      writeRaw(loc.flip());
      entryLeft = size;
    }

    /** Writes the next chunk of the current entry (all remaining bytes of {@code data}). */
    void write(ByteBuffer data) throws IOException {
      if (data.remaining() > entryLeft) {
        throw new IllegalStateException("entry longer than declared");
      }
      entryLeft -= data.remaining();
      writeRaw(data);
    }

    /** Writes a whole small entry. */
    void add(String name, byte[] data) throws IOException {
      CRC32 crc = new CRC32();
      crc.update(data);
      begin(name, data.length, (int) crc.getValue());
      write(ByteBuffer.wrap(data));
    }

    /** Writes the central directory and end record. */
    void finish() throws IOException {
      if (entryLeft > 0) {
        throw new IllegalStateException("last entry incomplete");
      }
      long cenOffset = position;
      for (byte[] r : centralRecords) {
        writeRaw(ByteBuffer.wrap(r));
      }
      long cenSize = position - cenOffset;
      ByteBuffer end = le(ByteBuffer.allocate(END_LEN));
      end.putInt(END_SIG).putShort((short) 0).putShort((short) 0)
          .putShort((short) centralRecords.size()).putShort((short) centralRecords.size())
          .putInt((int) cenSize).putInt((int) cenOffset).putShort((short) 0);
      writeRaw(end.flip());
    }

    private void writeRaw(ByteBuffer b) throws IOException {
      if (position + b.remaining() > MAX_FILE_BYTES - END_LEN) {
        throw new IOException("model is too large for the model file format (over 4 GiB)");
      }
      while (b.hasRemaining()) {
        position += ch.write(b);
      }
    }
  }
}
