package io.netanomaly.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of a {@link Schema}, used in model manifests and {@code --schema} files:
 * {@code {"name":"web","label":"is_attack","type":"attack_type","fields":[{"name":"status","type":"categorical"}]}}.
 * Field types are the lower-case names of {@link FieldType}.
 */
public final class SchemaJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaJson() {}

  public static ObjectNode toJson(Schema schema) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", schema.name());
    if (schema.labelColumn() != null) {
      n.put("label", schema.labelColumn());
    }
    if (schema.typeColumn() != null) {
      n.put("type", schema.typeColumn());
    }
    ArrayNode fields = n.putArray("fields");
    for (Field f : schema.fields()) {
      fields.addObject().put("name", f.name()).put("type", f.type().name().toLowerCase(Locale.ROOT));
    }
    return n;
  }

  /**
   * Parses the JSON form.
   *
   * @throws IllegalArgumentException naming the JSON field that is missing or wrong
   */
  public static Schema fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("schema: expected a JSON object");
    }
    JsonNode fields = n.get("fields");
    if (fields == null || !fields.isArray() || fields.isEmpty()) {
      throw new IllegalArgumentException("schema.fields: expected a non-empty array of {\"name\",\"type\"}");
    }
    List<Field> list = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      JsonNode f = fields.get(i);
      JsonNode name = f.get("name");
      JsonNode type = f.get("type");
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        throw new IllegalArgumentException("schema.fields[" + i + "].name: expected a non-empty string");
      }
      if (type == null || !type.isTextual()) {
        throw new IllegalArgumentException("schema.fields[" + i + "].type: expected one of " + typeNames());
      }
      FieldType t;
      try {
        t = FieldType.valueOf(type.asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schema.fields[" + i + "].type: got '" + type.asText()
            + "', expected one of " + typeNames(), e);
      }
      list.add(new Field(name.asText(), t));
    }
    String name = n.hasNonNull("name") ? n.get("name").asText() : "csv";
    String label = n.hasNonNull("label") ? n.get("label").asText() : null;
    String type = n.hasNonNull("type") ? n.get("type").asText() : null;
    return new Schema(name, list, label, type);
  }

  private static String typeNames() {
    List<String> names = new ArrayList<>();
    for (FieldType t : FieldType.values()) {
      names.add(t.name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }
}
