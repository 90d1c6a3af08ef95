package org.trajlake.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("Ping").namespace("test").fields().requiredString("text").endRecord();
  private static final String SCHEMA_ANSWER =
      "{\"schema\":" + quoted(SCHEMA.toString()) + "}";

  private StubRegistryServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new StubRegistryServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void registerPostsTheSchemaAndReturnsTheId() throws IOException {
    // Given a registry that answers with id 7
    server.answer(200, "{\"id\":7}");

    // When a schema is registered
    int id = registry().register("trajlake.events-value", SCHEMA);

    // Then the id comes back, and the request was the Confluent one
    assertThat(id).isEqualTo(7);
    StubRegistryServer.Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/apis/ccompat/v7/subjects/trajlake.events-value/versions");
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(new ObjectMapper().readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    assertThat(request.body()).doesNotContain("schemaType");
  }

  @Test
  void lookupOfAnUnknownSubjectIsEmpty() {
    // Given a registry that does not know the subject
    server.answer(404, "{\"error_code\":40401,\"message\":\"Subject 'x-value' not found.\"}");

    // When the schema is looked up
    OptionalInt id = registry().lookup("x-value", SCHEMA);

    // Then there is no id, and no error
    assertThat(id).isEmpty();
  }

  @Test
  void lookupOfAnUnregisteredSchemaIsEmpty() {
    // Given a subject that exists without this schema
    server.answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");

    // When the schema is looked up
    OptionalInt id = registry().lookup("x-value", SCHEMA);

    // Then there is no id
    assertThat(id).isEmpty();
  }

  @Test
  void lookupAnsweredByAPageThatIsNotARegistryNamesTheUrlProblem() {
    // Given a base URL that points at some other web server (404 without an error code)
    server.answer(404, "<html>Not Found</html>");

    // When a schema is looked up
    // Then the error says the URL is probably wrong, instead of pretending the schema is unknown
    assertThatThrownBy(() -> registry().lookup("x-value", SCHEMA))
        .isExactlyInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("/apis/ccompat/v7");
  }

  @Test
  void conflictOnRegisterIsAnIncompatibleSchemaNamingSubjectAndReason() {
    // Given a registry that rejects the schema under its BACKWARD rule
    server.answer(
        409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema;"
            + " READER_FIELD_MISSING_DEFAULT_VALUE: session_id\"}");

    // When the schema is registered
    // Then the failure is typed, names the subject and carries the registry's reason
    assertThatThrownBy(() -> registry().register("trajlake.events-value", SCHEMA))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.subject()).isEqualTo("trajlake.events-value");
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.registryMessage()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
            })
        .hasMessageContaining("trajlake.events-value")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE: session_id");
  }

  @Test
  void serverErrorsAreRetriedUntilTheRegistryAnswers() {
    // Given a registry that is briefly unavailable
    server.answer(503, "{\"message\":\"starting\"}").answer(503, "").answer(200, "{\"id\":3}");

    // When a schema is registered
    int id = registry().register("s", SCHEMA);

    // Then the call succeeds after the retries
    assertThat(id).isEqualTo(3);
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void clientErrorsAreNotRetried() {
    // Given a registry that rejects the request itself
    server.answer(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");

    // When a schema is registered
    // Then the registry's answer is reported once, with its code and message
    assertThatThrownBy(() -> registry().register("s", SCHEMA))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.errorCode()).isEqualTo(42201);
              assertThat(e.registryMessage()).isEqualTo("Invalid schema");
            });
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void serverErrorsThatOutlastTheRetriesMakeTheRegistryUnavailable() {
    // Given a registry that keeps failing
    server.answer(503, "").answer(503, "").answer(503, "");

    // When a schema is registered with three attempts
    // Then the failure says the registry is unavailable and names the URL
    assertThatThrownBy(() -> registry().register("s", SCHEMA))
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.url()).startsWith(server.url()))
        .hasMessageContaining(server.url())
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("3 attempts");
  }

  @Test
  void anUnreachableRegistryIsUnavailableNamingTheUrl() throws IOException {
    // Given a URL where nothing listens
    String url = "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7";
    SchemaRegistry registry =
        HttpSchemaRegistry.builder(url).retries(2, Duration.ofMillis(1), Duration.ofMillis(2)).build();

    // When the registry is asked for a schema
    // Then the failure names the URL
    assertThatThrownBy(() -> registry.schemaById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining(url + "/schemas/ids/1")
        .hasMessageContaining("2 attempts");
  }

  @Test
  void basicAuthCredentialsAreSentWithEveryRequest() {
    // Given a registry client with user info
    server.answer(200, "[]");
    SchemaRegistry registry =
        HttpSchemaRegistry.builder(server.url()).basicAuthUserInfo("agent:s3cret:with-colon").build();

    // When it lists subjects
    registry.subjects();

    // Then the request carries the basic auth header
    String expected =
        "Basic " + Base64.getEncoder().encodeToString("agent:s3cret:with-colon".getBytes(StandardCharsets.UTF_8));
    assertThat(server.requests().get(0).authorization()).isEqualTo(expected);
  }

  @Test
  void unknownSchemaIdIsTyped() {
    // Given a registry without schema 99
    server.answer(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}");

    // When schema 99 is fetched
    // Then the failure is an unknown schema id naming 99
    assertThatThrownBy(() -> registry().schemaById(99))
        .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.id()).isEqualTo(99))
        .hasMessageContaining("99");
  }

  @Test
  void schemaByIdParsesTheSchema() {
    // Given a registry holding the schema under id 5
    server.answer(200, SCHEMA_ANSWER);

    // When schema 5 is fetched
    Schema schema = registry().schemaById(5);

    // Then it is the registered schema
    assertThat(schema).isEqualTo(SCHEMA);
    assertThat(server.requests().get(0).path()).isEqualTo("/apis/ccompat/v7/schemas/ids/5");
  }

  @Test
  void latestReturnsVersionIdAndSchema() {
    // Given a subject at version 2
    server.answer(
        200, "{\"subject\":\"s\",\"version\":2,\"id\":12,\"schema\":" + quoted(SCHEMA.toString()) + "}");

    // When its latest version is read
    Optional<RegisteredSchema> latest = registry().latest("s");

    // Then all of it comes back
    assertThat(latest).contains(new RegisteredSchema("s", 2, 12, SCHEMA));
  }

  @Test
  void latestOfAnUnknownSubjectIsEmpty() {
    // Given an unknown subject
    server.answer(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");

    // When its latest version is read
    // Then there is none
    assertThat(registry().latest("s")).isEmpty();
  }

  @Test
  void compatibilityCheckReadsTheVerdict() {
    // Given a registry that finds the schema incompatible
    server.answer(200, "{\"is_compatible\":false}");

    // When compatibility is checked
    boolean compatible = registry().isCompatible("s", SCHEMA);

    // Then the verdict is false, and the check went to the latest version
    assertThat(compatible).isFalse();
    assertThat(server.requests().get(0).path())
        .isEqualTo("/apis/ccompat/v7/compatibility/subjects/s/versions/latest");
  }

  @Test
  void globalCompatibilityIsReadAndWritten() {
    // Given a registry at BACKWARD
    server.answer(200, "{\"compatibilityLevel\":\"BACKWARD\"}").answer(200, "{\"compatibility\":\"FULL\"}");
    SchemaRegistry registry = registry();

    // When the level is read, then set to FULL
    String before = registry.compatibility();
    registry.setCompatibility("FULL");

    // Then the read saw BACKWARD and the write sent FULL with PUT
    assertThat(before).isEqualTo("BACKWARD");
    StubRegistryServer.Request put = server.requests().get(1);
    assertThat(put.method()).isEqualTo("PUT");
    assertThat(put.path()).isEqualTo("/apis/ccompat/v7/config");
    assertThat(put.body()).isEqualTo("{\"compatibility\":\"FULL\"}");
  }

  @Test
  void aTrailingSlashInTheBaseUrlIsIgnored() {
    // Given a base URL ending in a slash
    server.answer(200, "[\"a-value\",\"b-value\"]");
    SchemaRegistry registry = HttpSchemaRegistry.builder(server.url() + "/").build();

    // When subjects are listed
    // Then the path has no double slash
    assertThat(registry.subjects()).containsExactly("a-value", "b-value");
    assertThat(server.requests().get(0).path()).isEqualTo("/apis/ccompat/v7/subjects");
  }

  @Test
  void aMalformedBaseUrlIsRejected() {
    // When a client is built for something that is not an http URL
    // Then it fails at once, saying why
    assertThatThrownBy(() -> HttpSchemaRegistry.builder("localhost:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s) URL");
  }

  private SchemaRegistry registry() {
    return HttpSchemaRegistry.builder(server.url())
        .requestTimeout(Duration.ofSeconds(5))
        .retries(3, Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String quoted(String text) {
    try {
      return new ObjectMapper().writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
