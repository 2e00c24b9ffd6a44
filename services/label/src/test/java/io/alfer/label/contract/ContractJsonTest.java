package io.alfer.label.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.label.contract.UnreadableResult.Problem;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Results are read strictly: each field of the contract has its JSON type or is refused. */
class ContractJsonTest {
  static final String GOOD =
      "{\"taskId\":\"t-1\",\"vendor\":\"acme\",\"annotator\":\"ann-1\",\"label\":\"sad\","
          + "\"answeredAt\":\"2026-12-01T11:42:05Z\",\"confidence\":0.9}";

  @Test
  void aResultOfTheContractsFormIsRead() {
    LabelResult r = ContractJson.parseResult(GOOD);
    assertThat(r.getTaskId()).isEqualTo("t-1");
    assertThat(r.getVendor()).isEqualTo("acme");
    assertThat(r.getLabel()).isEqualTo("sad");
    assertThat(r.getConfidence()).isEqualTo(0.9f);
    assertThat(r.getAnsweredAt().getSeconds()).isPositive();
    assertThat(ContractJson.parseResult(ContractJson.result(r))).isEqualTo(r);
  }

  @Test
  void whatTheContractAllowsBesidesIsReadToo() {
    // protobuf's field names, unknown fields of any type, null as a field left out, an integral
    // confidence, a byte order mark-free UTF-8 label
    LabelResult r =
        ContractJson.parseResult(
            "{\"task_id\":\"t-1\",\"vendor\":\"acme\",\"label\":\"süß\",\"confidence\":1,"
                + "\"answeredAt\":null,\"annotator\":null,"
                + "\"extra\":[1,{\"a\":true}],\"vendorMeta\":{\"x\":[]}}");
    assertThat(r.getTaskId()).isEqualTo("t-1");
    assertThat(r.getLabel()).isEqualTo("süß");
    assertThat(r.getConfidence()).isEqualTo(1f);
    assertThat(r.hasAnsweredAt()).isFalse();
    assertThat(r.getAnnotator()).isEmpty();
  }

  @Test
  void aOneItemArrayIsNotAString() {
    UnreadableResult e = refused(GOOD.replace("\"label\":\"sad\"", "\"label\":[\"sad\"]"));
    assertThat(e.problem()).isEqualTo(Problem.FIELD_TYPE);
    assertThat(e.getMessage()).isEqualTo("field 'label' must be a string, not an array: [\"sad\"]");
    assertThat(e.vendor()).isEqualTo("acme");
  }

  @Test
  void aNumberIsNotAStringId() {
    UnreadableResult e = refused(GOOD.replace("\"taskId\":\"t-1\"", "\"taskId\":12345"));
    assertThat(e.problem()).isEqualTo(Problem.FIELD_TYPE);
    assertThat(e.getMessage()).isEqualTo("field 'taskId' must be a string, not a number: 12345");
    // protobuf's own name is checked like the JSON name
    assertThat(refused("{\"task_id\":true}").getMessage())
        .isEqualTo("field 'task_id' must be a string, not a boolean: true");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"vendor\":{\"name\":\"acme\"}",
        "\"annotator\":42",
        "\"label\":false",
        "\"answeredAt\":1764589325",
        "\"answeredAt\":[\"2026-12-01T11:42:05Z\"]",
        "\"confidence\":\"0.9\"",
        "\"confidence\":[0.9]",
        "\"confidence\":true",
        "\"confidence\":\"NaN\""
      })
  void everyFieldHasItsJsonType(String member) {
    String name = member.substring(1, member.indexOf('"', 1));
    String json = "{\"taskId\":\"t-1\"," + member + "}";
    UnreadableResult e = refused(json);
    assertThat(e.problem()).as(json).isEqualTo(Problem.FIELD_TYPE);
    assertThat(e.getMessage()).startsWith("field '" + name + "' must be ");
  }

  @Test
  void theCheckFollowsTheMessagesFieldsIntoObjectsAndArrays() throws Exception {
    ContractJson.checkTypes(
        tree(
            "{\"round\":2,\"taxonomy\":{\"classes\":[\"a\",\"b\"]},"
                + "\"deadline\":\"2026-12-01T11:00:00Z\",\"other\":[1]}"),
        LabelTask.getDescriptor(),
        "",
        "");
    assertThat(typeError("{\"taxonomy\":{\"classes\":[\"a\",1]}}"))
        .hasMessage("field 'taxonomy.classes[1]' must be a string, not a number: 1");
    assertThat(typeError("{\"taxonomy\":{\"classes\":\"a\"}}"))
        .hasMessage("field 'taxonomy.classes' must be an array, not a string: \"a\"");
    assertThat(typeError("{\"taxonomy\":[\"a\"]}"))
        .hasMessage("field 'taxonomy' must be an object, not an array: [\"a\"]");
    assertThat(typeError("{\"round\":\"2\"}"))
        .hasMessage("field 'round' must be a number, not a string: \"2\"");
  }

  private static UnreadableResult typeError(String json) throws Exception {
    JsonNode tree = tree(json);
    return catchThrowableOfType(
        UnreadableResult.class,
        () -> ContractJson.checkTypes(tree, LabelTask.getDescriptor(), "", ""));
  }

  private static JsonNode tree(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void theVendorOfARefusalIsKnownOnlyWhenItIsAString() {
    assertThat(refused("{\"vendor\":[\"acme\"],\"label\":\"sad\"}").vendor()).isEmpty();
    assertThat(refused("{\"vendor\":\"acme\",\"confidence\":\"1\"}").vendor()).isEqualTo("acme");
    assertThat(refused("{\"vendor\":\"acme\",").vendor()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{not json",
        "[]",
        "\"sad\"",
        "null",
        "{\"label\":\"sad\"} {\"label\":\"happy\"}",
        "{\"label\":\"sad\",\"label\":\"happy\"}",
        "{\"taskId\":\"a\",\"task_id\":\"b\"}",
        "{'label':'sad'}",
        "{label:\"sad\"}",
        "{\"label\":\"sad\",}",
        "{\"confidence\":1e400}",
        "{\"answeredAt\":\"yesterday\"}"
      })
  void whatIsNotAJsonObjectOfTheResultsFormIsMalformed(String json) {
    assertThat(refused(json).problem()).as(json).isEqualTo(Problem.MALFORMED);
  }

  @Test
  void bytesThatAreNotUtf8AreMalformed() {
    byte[] latin1 = "{\"label\":\"süß\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(catchThrowableOfType(UnreadableResult.class, () -> ContractJson.parseResult(latin1)))
        .extracting(UnreadableResult::problem)
        .isEqualTo(Problem.MALFORMED);
    assertThat(
            catchThrowableOfType(
                UnreadableResult.class, () -> ContractJson.parseResult((byte[]) null)))
        .hasMessage("the record has no value");
  }

  @Test
  void aLongWrongValueIsQuotedShort() {
    String big = "[" + "1,".repeat(1000) + "1]";
    String message = refused("{\"label\":" + big + "}").getMessage();
    assertThat(message).startsWith("field 'label' must be a string, not an array: [1,1,");
    assertThat(message).endsWith("…").hasSizeLessThan(150);
  }

  private static UnreadableResult refused(String json) {
    UnreadableResult e =
        catchThrowableOfType(UnreadableResult.class, () -> ContractJson.parseResult(json));
    assertThat(e).as("refused: " + json).isNotNull();
    return e;
  }
}
