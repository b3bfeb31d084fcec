package io.netanomaly.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @TempDir Path dir;

  private static final double[] DOUBLES = {
    0.0, -0.0, 1.5, -2.25, Double.NaN, Double.longBitsToDouble(0x7ff8_0000_0000_0123L),
    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, Math.PI
  };
  private static final float[] FLOATS = {
    0.0f, -0.0f, 3.25f, Float.NaN, Float.intBitsToFloat(0x7fc0_0123), Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE
  };
  private static final int[] INTS = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 42};
  private static final long[] LONGS = {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40};

  private static ModelArchive sample() {
    ModelArchive.Builder b = ModelArchive.builder();
    b.manifest().put("detector", "iforest").put("trees", 100).put("threshold", 0.625);
    b.manifest().putObject("schema").putArray("fields").add("bytes_sent").add("dst_port");
    b.put("doubles", DOUBLES).put("floats", FLOATS).put("ints", INTS).put("longs", LONGS);
    b.put("empty_doubles", new double[0]).put("empty_floats", new float[0]);
    b.put("empty_ints", new int[0]).put("empty_longs", new long[0]);
    return b.build();
  }

  private Path written(ModelArchive archive) throws IOException {
    Path file = dir.resolve("model.nam");
    archive.write(file);
    return file;
  }

  @Test
  void roundTripsAllArrayTypesBitExactly() throws IOException {
    ModelArchive back = ModelArchive.read(written(sample()));

    assertThat(back.arrayNames())
        .containsExactly(
            "doubles", "floats", "ints", "longs",
            "empty_doubles", "empty_floats", "empty_ints", "empty_longs");
    assertThat(rawBits(back.doubles("doubles"))).containsExactly(rawBits(DOUBLES));
    assertThat(rawBits(back.floats("floats"))).containsExactly(rawBits(FLOATS));
    assertThat(back.ints("ints")).containsExactly(INTS);
    assertThat(back.longs("longs")).containsExactly(LONGS);
    assertThat(back.doubles("empty_doubles")).isEmpty();
    assertThat(back.floats("empty_floats")).isEmpty();
    assertThat(back.ints("empty_ints")).isEmpty();
    assertThat(back.longs("empty_longs")).isEmpty();
    assertThatThrownBy(() -> back.ints("doubles")).isInstanceOf(ModelFormatException.class);
  }

  @Test
  void roundTripsTheManifest() throws IOException {
    ModelArchive.Builder b = ModelArchive.builder();
    ObjectNode m = b.manifest();
    m.put("name", "grüße \u2603 \"quoted\"\n").put("big", Long.MAX_VALUE).put("x", 1e-300);
    m.putNull("nothing");
    m.putObject("nested").putArray("list").add(1).add(true).addObject().put("k", "v");
    ModelArchive archive = b.build();

    ModelArchive back = ModelArchive.read(written(archive));

    assertThat(back.manifest()).isEqualTo(archive.manifest());
    assertThat(back.arrayNames()).isEmpty();
  }

  @Test
  void roundTripsArraysLargerThanTheStreamingChunk() throws IOException {
    Random random = new Random(7);
    double[] d = new double[300_001]; // 2.4 MB: several 1 MiB chunks and a partial one
    float[] f = new float[700_003];
    for (int i = 0; i < d.length; i++) {
      d[i] = random.nextGaussian();
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = random.nextFloat();
    }
    ModelArchive back =
        ModelArchive.read(written(ModelArchive.builder().put("d", d).put("f", f).build()));

    assertThat(Arrays.equals(back.doubles("d"), d)).isTrue();
    assertThat(Arrays.equals(back.floats("f"), f)).isTrue();
  }

  @Test
  void writesTheDocumentedLayoutReadableByAnyZipReader() throws IOException {
    Path file = written(sample());

    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> names = zip.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .containsExactly(
              "manifest.json", "arrays/doubles.bin", "arrays/floats.bin", "arrays/ints.bin",
              "arrays/longs.bin", "arrays/empty_doubles.bin", "arrays/empty_floats.bin",
              "arrays/empty_ints.bin", "arrays/empty_longs.bin", "checksum.sha256");
      JsonNode manifest =
          ModelArchive.JSON.readTree(zip.getInputStream(zip.getEntry("manifest.json")));
      assertThat(manifest.get("format").asText()).isEqualTo("netanomaly-model");
      assertThat(manifest.get("format_version").asInt()).isEqualTo(1);
      assertThat(manifest.get("created_by").asText()).startsWith("netanomaly ");
      assertThat(manifest.get("content").get("trees").asInt()).isEqualTo(100);
      JsonNode ints = manifest.get("arrays").get(2);
      assertThat(ints.get("name").asText()).isEqualTo("ints");
      assertThat(ints.get("type").asText()).isEqualTo("int32");
      assertThat(ints.get("length").asInt()).isEqualTo(INTS.length);
      byte[] intBytes = zip.getInputStream(zip.getEntry("arrays/ints.bin")).readAllBytes();
      assertThat(intBytes).hasSize(INTS.length * 4);
      assertThat(Arrays.copyOfRange(intBytes, 4, 8)).containsExactly(1, 0, 0, 0); // little-endian 1
      assertThat(ints.get("sha256").asText()).isEqualTo(RawModelFile.sha256(intBytes));
    }
  }

  @Test
  void sameArchiveGivesSameBytes() throws IOException {
    Path a = dir.resolve("a.nam");
    Path b = dir.resolve("b.nam");
    ModelFiles.write(sample(), a, "netanomaly test");
    ModelFiles.write(sample(), b, "netanomaly test");

    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void refusesAFlippedByteAnywhere() throws IOException {
    byte[] good = Files.readAllBytes(written(sample()));
    Path damaged = dir.resolve("damaged.nam");
    for (int mask : new int[] {0x01, 0x80, 0xFF}) {
      for (int pos = 0; pos < good.length; pos++) {
        byte[] bad = good.clone();
        bad[pos] ^= (byte) mask;
        Files.write(damaged, bad);
        assertRefused(damaged, "byte " + pos + " xor " + mask);
      }
    }
  }

  @Test
  void refusesATruncatedFileAtEveryLength() throws IOException {
    byte[] good = Files.readAllBytes(written(sample()));
    Path cut = dir.resolve("cut.nam");
    for (int len = 0; len < good.length; len++) {
      Files.write(cut, Arrays.copyOf(good, len));
      assertRefused(cut, "length " + len);
    }
  }

  @Test
  void refusesATamperedManifestWithTheOldChecksum() throws IOException {
    LinkedHashMap<String, byte[]> entries = RawModelFile.entries(written(sample()));
    String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
    entries.put(
        "manifest.json",
        manifest.replace("\"trees\":100", "\"trees\":101").getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("tampered.nam");
    RawModelFile.write(file, entries);

    assertThatThrownBy(() -> ModelArchive.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("checksum mismatch: the file is corrupted or was modified");
  }

  @Test
  void refusesATamperedArrayWithTheOldChecksum() throws IOException {
    LinkedHashMap<String, byte[]> entries = RawModelFile.entries(written(sample()));
    entries.get("arrays/ints.bin")[0] ^= 1;
    Path file = dir.resolve("tampered.nam");
    RawModelFile.write(file, entries); // new CRCs: only the SHA-256 can notice

    assertThatThrownBy(() -> ModelArchive.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("checksum mismatch: the file is corrupted or was modified");
  }

  @Test
  void refusesANewerFormatVersionAskingForAnUpgrade() throws IOException {
    Path file = withManifestEdit(m -> m.put("format_version", 99));

    assertThatThrownBy(() -> ModelArchive.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(
            "model format version 99 is newer than this netanomaly supports (1); upgrade netanomaly");
  }

  @Test
  void refusesUnsupportedOrMissingVersionsAndForeignFormats() throws IOException {
    Path zero = withManifestEdit(m -> m.put("format_version", 0));
    assertThatThrownBy(() -> ModelArchive.read(zero))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("version 0 is not supported");

    Path text = withManifestEdit(m -> m.put("format_version", "1"));
    assertThatThrownBy(() -> ModelArchive.read(text))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("format_version");

    Path foreign = withManifestEdit(m -> m.put("format", "something-else"));
    assertThatThrownBy(() -> ModelArchive.read(foreign))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("not a netanomaly model");
  }

  @Test
  void refusesAnUnknownArrayType() throws IOException {
    Path file = withManifestEdit(m -> ((ObjectNode) m.get("arrays").get(0)).put("type", "float16"));

    assertThatThrownBy(() -> ModelArchive.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("unknown array type \"float16\" for array 'doubles'");
  }

  @Test
  void refusesADeclaredLengthThatDisagreesWithTheEntrySize() throws IOException {
    Path shorter = withManifestEdit(m -> ((ObjectNode) m.get("arrays").get(2)).put("length", 5));
    assertThatThrownBy(() -> ModelArchive.read(shorter))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(
            "array 'ints' declares 5 int32 values (20 bytes) but its entry holds 24 bytes");

    // A huge declared length must be refused before anything of that size is allocated.
    Path huge =
        withManifestEdit(m -> ((ObjectNode) m.get("arrays").get(0)).put("length", 2_000_000_000));
    assertThatThrownBy(() -> ModelArchive.read(huge))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("declares 2000000000 float64 values");

    Path negative = withManifestEdit(m -> ((ObjectNode) m.get("arrays").get(0)).put("length", -1));
    assertThatThrownBy(() -> ModelArchive.read(negative))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("array 'doubles' has no valid length");
  }

  @Test
  void refusesUnexpectedMissingAndDuplicateEntries() throws IOException {
    LinkedHashMap<String, byte[]> good = RawModelFile.entries(written(sample()));

    LinkedHashMap<String, byte[]> extra = new LinkedHashMap<>(good);
    extra.put("arrays/extra.bin", new byte[8]);
    assertThat(messageFor(extra)).isEqualTo("unexpected entry 'arrays/extra.bin' in model file");

    LinkedHashMap<String, byte[]> missing = new LinkedHashMap<>(good);
    missing.remove("arrays/longs.bin");
    assertThat(messageFor(missing)).isEqualTo("model file lacks entry 'arrays/longs.bin'");

    LinkedHashMap<String, byte[]> noManifest = new LinkedHashMap<>(good);
    noManifest.remove("manifest.json");
    assertThat(messageFor(noManifest))
        .isEqualTo("not a netanomaly model: the file has no manifest.json");

    LinkedHashMap<String, byte[]> reordered = new LinkedHashMap<>();
    reordered.put("checksum.sha256", good.get("checksum.sha256"));
    reordered.putAll(good);
    assertThat(messageFor(reordered)).isEqualTo("model file entries are out of order");

    // A map cannot hold a name twice: write the zip by hand.
    Path dup = dir.resolve("dup.nam");
    try (var ch =
        java.nio.channels.FileChannel.open(
            dup, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      StoredZip.Writer zip = new StoredZip.Writer(ch);
      for (Map.Entry<String, byte[]> e : good.entrySet()) {
        zip.add(e.getKey(), e.getValue());
      }
      zip.add("arrays/ints.bin", good.get("arrays/ints.bin"));
      zip.finish();
    }
    assertThatThrownBy(() -> ModelArchive.read(dup))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("duplicate entry 'arrays/ints.bin' in model file");
  }

  @Test
  void refusesUnsafeEntryNames() throws IOException {
    LinkedHashMap<String, byte[]> good = RawModelFile.entries(written(sample()));
    for (String name : List.of("../evil.bin", "arrays/../../x.bin", "/etc/passwd", "arrays\\x.bin")) {
      LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(good);
      entries.put(name, new byte[4]);
      assertThat(messageFor(entries)).isEqualTo("unsafe entry name '" + name + "' in model file");
    }
  }

  @Test
  void refusesFilesThatAreNotModels() throws IOException {
    Path empty = dir.resolve("empty.nam");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> ModelArchive.read(empty))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("empty file: not a netanomaly model");

    byte[] noise = new byte[5000];
    new Random(3).nextBytes(noise);
    Path random = dir.resolve("random.bin");
    Files.write(random, noise);
    assertThatThrownBy(() -> ModelArchive.read(random))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("not a netanomaly model file (not a zip archive)");

    Path csv = dir.resolve("flows.csv");
    Files.writeString(csv, "timestamp,src_ip\n1,10.0.0.1\n");
    assertThatThrownBy(() -> ModelArchive.read(csv)).isInstanceOf(ModelFormatException.class);

    // An ordinary (deflated) zip that happens to hold a manifest.json.
    Path other = dir.resolve("other.zip");
    try (OutputStream out = Files.newOutputStream(other);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("manifest.json"));
      zip.write("{\"format\":\"netanomaly-model\",\"format_version\":1}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    assertThatThrownBy(() -> ModelArchive.read(other))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("model file is damaged: unexpected");
  }

  @Test
  void missingFileIsAnIoErrorNotAFormatError() {
    assertThatThrownBy(() -> ModelArchive.read(dir.resolve("absent.nam")))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ModelFormatException.class);
  }

  @Test
  void writesAtomicallyLeavingNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("model.nam");
    Files.writeString(file, "an older model");
    ModelArchive first = sample();
    first.write(file);
    ModelArchive second = ModelArchive.builder().put("only", new int[] {9}).build();
    second.write(file);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.nam");
    }
    assertThat(ModelArchive.read(file).ints("only")).containsExactly(9);
  }

  @Test
  void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.nam");
    sample().write(file);
    byte[] before = Files.readAllBytes(file);
    Path target = dir.resolve("dir-in-the-way");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep"), "x"); // a non-empty directory cannot be replaced

    assertThatThrownBy(() -> sample().write(target)).isInstanceOf(IOException.class);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("model.nam", "dir-in-the-way");
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  private interface ManifestEdit {
    void apply(ObjectNode manifest);
  }

  /** A copy of {@link #sample()} whose manifest is edited, with every checksum made to match. */
  private Path withManifestEdit(ManifestEdit edit) throws IOException {
    LinkedHashMap<String, byte[]> entries = RawModelFile.entries(written(sample()));
    ObjectNode manifest = (ObjectNode) ModelArchive.JSON.readTree(entries.get("manifest.json"));
    edit.apply(manifest);
    entries.put("manifest.json", ModelArchive.JSON.writeValueAsBytes(manifest));
    RawModelFile.recomputeChecksum(entries);
    Path file = dir.resolve("edited-" + System.nanoTime() + ".nam");
    RawModelFile.write(file, entries);
    return file;
  }

  private String messageFor(Map<String, byte[]> entries) throws IOException {
    Path file = dir.resolve("crafted.nam");
    RawModelFile.write(file, entries);
    try {
      ModelArchive.read(file);
    } catch (ModelFormatException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    return fail("crafted file was accepted");
  }

  private static void assertRefused(Path file, String what) {
    try {
      ModelArchive.read(file);
      fail("accepted a damaged file: " + what);
    } catch (ModelFormatException e) {
      assertThat(e.getMessage()).as(what).isNotBlank().doesNotContain("\n");
    } catch (Exception e) {
      fail("wrong exception for " + what + ": " + e, e);
    }
  }

  private static long[] rawBits(double[] a) {
    return Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  private static int[] rawBits(float[] a) {
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Float.floatToRawIntBits(a[i]);
    }
    return out;
  }
}
