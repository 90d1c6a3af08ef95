package org.trajlake.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.utils.ExponentialBackoff;

/**
 * {@link SchemaRegistry} over the Confluent Schema Registry REST API, for example Apicurio's
 * {@code http://host:8080/apis/ccompat/v7} or Confluent's {@code http://host:8081}.
 *
 * <p>Never sends {@code schemaType}: every schema here is Avro, which is the API's default, and
 * older registries reject the field.
 */
public final class HttpSchemaRegistry implements SchemaRegistry {
  // Confluent error codes that mean "not there", as opposed to "you asked wrongly".
  private static final int SUBJECT_NOT_FOUND = 40401;
  private static final int VERSION_NOT_FOUND = 40402;
  private static final int SCHEMA_NOT_FOUND = 40403;

  private final RegistryHttp http;

  HttpSchemaRegistry(RegistryHttp http) {
    this.http = http;
  }

  /** Starts a registry client for {@code baseUrl}, for example {@code http://localhost:8080/apis/ccompat/v7}. */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /** The base URL requests go to, without a trailing slash. */
  public String baseUrl() {
    return http.baseUrl();
  }

  @Override
  public int register(String subject, Schema schema) {
    RegistryHttp.Response response = http.post(subjectPath(subject) + "/versions", schemaBody(schema));
    if (response.status() == 409) {
      throw new IncompatibleSchemaException(subject, response.errorCode(), response.registryMessage());
    }
    return requiredInt(ok(response, "Registering a schema under subject '" + subject + "'"), "id", response);
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    RegistryHttp.Response response = http.post(subjectPath(subject), schemaBody(schema));
    if (isNotFound(response, SUBJECT_NOT_FOUND, SCHEMA_NOT_FOUND)) {
      return OptionalInt.empty();
    }
    JsonNode json = ok(response, "Looking up a schema under subject '" + subject + "'");
    return OptionalInt.of(requiredInt(json, "id", response));
  }

  @Override
  public Schema schemaById(int id) {
    RegistryHttp.Response response = http.get("/schemas/ids/" + id);
    if (response.status() == 404 && response.errorCode() != SchemaRegistryException.NO_ERROR_CODE) {
      throw new UnknownSchemaIdException(id, response.errorCode(), response.registryMessage());
    }
    JsonNode json = ok(response, "Fetching schema id " + id);
    String type = json.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw new SchemaRegistryException(
          "Schema id " + id + " is a " + type + " schema, not Avro",
          response.status(),
          SchemaRegistryException.NO_ERROR_CODE,
          "");
    }
    return parseSchema(requiredText(json, "schema", response), "schema id " + id);
  }

  @Override
  public Optional<RegisteredSchema> latest(String subject) {
    RegistryHttp.Response response = http.get(subjectPath(subject) + "/versions/latest");
    if (isNotFound(response, SUBJECT_NOT_FOUND, VERSION_NOT_FOUND)) {
      return Optional.empty();
    }
    JsonNode json = ok(response, "Fetching the latest version of subject '" + subject + "'");
    return Optional.of(
        new RegisteredSchema(
            subject,
            requiredInt(json, "version", response),
            requiredInt(json, "id", response),
            parseSchema(requiredText(json, "schema", response), "the latest schema of subject '" + subject + "'")));
  }

  @Override
  public List<String> subjects() {
    RegistryHttp.Response response = http.get("/subjects");
    JsonNode json = ok(response, "Listing subjects");
    if (!json.isArray()) {
      throw unexpected(response, "a JSON array of subjects");
    }
    List<String> subjects = new ArrayList<>(json.size());
    json.forEach(subject -> subjects.add(subject.asText()));
    return List.copyOf(subjects);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    RegistryHttp.Response response =
        http.post("/compatibility" + subjectPath(subject) + "/versions/latest", schemaBody(schema));
    if (isNotFound(response, SUBJECT_NOT_FOUND, VERSION_NOT_FOUND)) {
      // Nothing registered yet, so nothing the schema could be incompatible with.
      return true;
    }
    JsonNode json = ok(response, "Checking compatibility under subject '" + subject + "'");
    JsonNode compatible = json.path("is_compatible");
    if (!compatible.isBoolean()) {
      throw unexpected(response, "an is_compatible field");
    }
    return compatible.asBoolean();
  }

  @Override
  public String compatibility() {
    RegistryHttp.Response response = http.get("/config");
    JsonNode json = ok(response, "Reading the global compatibility level");
    // Confluent answers GET with compatibilityLevel; some registries echo the PUT field name.
    JsonNode level = json.has("compatibilityLevel") ? json.get("compatibilityLevel") : json.path("compatibility");
    if (!level.isTextual()) {
      throw unexpected(response, "a compatibilityLevel field");
    }
    return level.asText();
  }

  @Override
  public void setCompatibility(String level) {
    if (level == null || level.isBlank()) {
      throw new IllegalArgumentException("compatibility level must not be blank");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("compatibility", level);
    ok(http.put("/config", body), "Setting the global compatibility level to " + level);
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JsonNodeFactory.instance.objectNode().put("schema", schema.toString());
  }

  private static String subjectPath(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    // URLEncoder encodes for forms; a path segment needs %20, not +.
    return "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean isNotFound(RegistryHttp.Response response, int... codes) {
    if (response.status() != 404) {
      return false;
    }
    for (int code : codes) {
      if (response.errorCode() == code) {
        return true;
      }
    }
    return false;
  }

  /** The body of a 2xx response; any other status becomes a {@link SchemaRegistryException}. */
  private static JsonNode ok(RegistryHttp.Response response, String what) {
    if (response.ok()) {
      return response.json();
    }
    StringBuilder message =
        new StringBuilder(what)
            .append(" failed: HTTP ")
            .append(response.status());
    if (response.errorCode() != SchemaRegistryException.NO_ERROR_CODE) {
      message.append(" error_code ").append(response.errorCode());
    }
    message.append(": ").append(response.registryMessage());
    message.append(" (").append(response.method()).append(' ').append(response.uri()).append(')');
    message.append(hint(response));
    throw new SchemaRegistryException(
        message.toString(), response.status(), response.errorCode(), response.registryMessage());
  }

  private static String hint(RegistryHttp.Response response) {
    if (response.status() == 401 || response.status() == 403) {
      return ". Check basic.auth.user.info.";
    }
    if (response.status() == 404 && response.errorCode() == SchemaRegistryException.NO_ERROR_CODE) {
      return ". This does not look like a Confluent-compatible registry API: check schema.registry.url"
          + " (for Apicurio it ends in /apis/ccompat/v7).";
    }
    return "";
  }

  private static int requiredInt(JsonNode json, String field, RegistryHttp.Response response) {
    JsonNode value = json.path(field);
    if (!value.canConvertToInt()) {
      throw unexpected(response, "an integer field '" + field + "'");
    }
    return value.asInt();
  }

  private static String requiredText(JsonNode json, String field, RegistryHttp.Response response) {
    JsonNode value = json.path(field);
    if (!value.isTextual()) {
      throw unexpected(response, "a text field '" + field + "'");
    }
    return value.asText();
  }

  private static SchemaRegistryException unexpected(RegistryHttp.Response response, String expected) {
    return new SchemaRegistryException(
        "Unexpected answer from the schema registry to "
            + response.method()
            + ' '
            + response.uri()
            + ": expected "
            + expected
            + ", got "
            + response.registryMessage(),
        response.status(),
        response.errorCode(),
        response.registryMessage());
  }

  private static Schema parseSchema(String json, String what) {
    try {
      // A fresh parser per schema: a shared one would reject the second schema naming the same type.
      return new Schema.Parser().parse(json);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          "The registry returned " + what + " that is not a valid self-contained Avro schema: " + e.getMessage(),
          SchemaRegistryException.NO_STATUS,
          SchemaRegistryException.NO_ERROR_CODE,
          "",
          e);
    }
  }

  /** Settings of an {@link HttpSchemaRegistry}; every setting has a sensible default. */
  public static final class Builder {
    private final String baseUrl;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private String basicAuthUserInfo;
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private HttpClient httpClient;

    private Builder(String baseUrl) {
      this.baseUrl = normalize(baseUrl);
    }

    /** How long one HTTP request may take (connect and response). Default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("request timeout must be positive, was " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /** Basic auth credentials as {@code user:password}, like Confluent's basic.auth.user.info. */
    public Builder basicAuthUserInfo(String userInfo) {
      if (userInfo != null && !userInfo.isEmpty() && userInfo.indexOf(':') < 0) {
        throw new IllegalArgumentException("basic auth user info must look like user:password");
      }
      this.basicAuthUserInfo = userInfo == null || userInfo.isEmpty() ? null : userInfo;
      return this;
    }

    /**
     * Tries per call (at least 1) and the backoff between them, doubling from {@code initial} up to
     * {@code max}. Default 4 tries, 100 ms to 2 s.
     */
    public Builder retries(int maxAttempts, Duration initial, Duration max) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      this.initialBackoff = Objects.requireNonNull(initial, "initial");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    /** Uses this HTTP client instead of a new one (to share its connection pool). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    public HttpSchemaRegistry build() {
      // HTTP/1.1: registries speak it everywhere, and the h2c upgrade dance on plain http buys nothing
      // for small JSON calls while some proxies mishandle it.
      HttpClient client =
          httpClient != null
              ? httpClient
              : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout).build();
      Optional<String> authorization =
          Optional.ofNullable(basicAuthUserInfo)
              .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
      ExponentialBackoff backoff =
          new ExponentialBackoff(initialBackoff.toMillis(), 2, Math.max(initialBackoff.toMillis(), maxBackoff.toMillis()), 0.2);
      return new HttpSchemaRegistry(
          new RegistryHttp(client, baseUrl, requestTimeout, authorization, maxAttempts, backoff));
    }

    private static String normalize(String baseUrl) {
      if (baseUrl == null || baseUrl.isBlank()) {
        throw new IllegalArgumentException("schema registry URL must not be blank");
      }
      String trimmed = baseUrl.trim();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      try {
        URI uri = new URI(trimmed);
        boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!web || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "schema registry URL must be an http(s) URL with a host, was '" + baseUrl + "'");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
          throw new IllegalArgumentException(
              "schema registry URL must not have a query or fragment, was '" + baseUrl + "'");
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("schema registry URL is malformed: '" + baseUrl + "': " + e.getMessage(), e);
      }
      return trimmed;
    }
  }
}
