package org.trajlake.recall.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.InvalidRequestException;
import org.trajlake.recall.RecallJson;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallService;
import org.trajlake.recall.RecallUnavailableException;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.WorkspaceAccess;

/**
 * {@code POST /v1/recall} and {@code POST /v1/recall/steps}: a JSON request in, a JSON result out.
 * 400 for a request that cannot be served (naming the field), 403 for a workspace the API key may
 * not read, 413 for a body over 1 MiB, 503 when OpenSearch fails, 504 when it is too slow.
 */
final class RecallServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RecallServlet.class);
  static final String TRAJECTORIES = "recall";
  static final String STEPS = "recall_steps";
  static final int MAX_BODY_BYTES = 1 << 20;
  // How much of an oversized body is read and dropped before the 413. Answering while the client is
  // still sending and closing with its bytes unread makes the connection reset, and the client sees
  // that instead of the 413 (RecallHttpIT failed so once in CI); past this the reset is accepted.
  private static final long DISCARD_LIMIT_BYTES = 8L << 20;

  private final transient RecallService service;
  private final transient RecallMetrics metrics;
  private final boolean steps;

  RecallServlet(RecallService service, RecallMetrics metrics, boolean steps) {
    this.service = service;
    this.metrics = metrics;
    this.steps = steps;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    long start = System.nanoTime();
    int status = 500;
    RecallMode mode = null;
    try {
      JsonNode body = body(request);
      WorkspaceAccess access = (WorkspaceAccess) request.getAttribute(ApiKeys.ACCESS_ATTRIBUTE);
      JsonNode result;
      if (steps) {
        StepRecallRequest recall = RecallJson.stepRecallRequest(body);
        access.check(recall.workspace());
        mode = recall.mode();
        result = RecallJson.toJson(service.recallSteps(recall));
      } else {
        RecallRequest recall = RecallJson.recallRequest(body);
        access.check(recall.workspace());
        mode = recall.mode();
        result = RecallJson.toJson(service.recall(recall));
      }
      status = 200;
      JsonResponses.send(response, status, result);
    } catch (BodyException e) {
      status = e.status;
      JsonResponses.error(response, status, e.getMessage(), null);
    } catch (InvalidRequestException e) {
      status = 400;
      JsonResponses.error(response, status, e.getMessage(), e.field());
    } catch (WorkspaceAccess.ForbiddenWorkspaceException e) {
      status = 403;
      JsonResponses.error(response, status, e.getMessage(), "workspace");
    } catch (RecallUnavailableException e) {
      status = e.timedOut() ? 504 : 503;
      LOG.warn("recall failed: {}", e.getMessage());
      JsonResponses.error(response, status, e.getMessage(), null);
    } catch (RuntimeException e) {
      LOG.error("recall failed unexpectedly", e);
      JsonResponses.error(response, status, "internal error: " + e, null);
    } finally {
      metrics.record(steps ? STEPS : TRAJECTORIES, status, mode, System.nanoTime() - start);
    }
  }

  /** Reads and drops the rest of a body, up to {@link #DISCARD_LIMIT_BYTES}. */
  private static void discard(InputStream in) throws IOException {
    byte[] buffer = new byte[64 << 10];
    long read = 0;
    for (int n; read < DISCARD_LIMIT_BYTES && (n = in.read(buffer)) >= 0; ) {
      read += n;
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Allow", "POST");
    JsonResponses.error(response, 405, "use POST with a JSON body", null);
  }

  private static JsonNode body(HttpServletRequest request) throws IOException {
    // Declared too large even to read and drop: refused at once. A smaller oversized body is read up
    // to the limit below, the rest dropped, and refused the same way, never parsed.
    if (request.getContentLengthLong() > DISCARD_LIMIT_BYTES) {
      throw new BodyException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        discard(in);
        throw new BodyException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
      }
    }
    if (bytes.length == 0) {
      throw new BodyException(400, "the body is empty; send a JSON object with at least workspace and query");
    }
    try {
      return JsonResponses.JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BodyException(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** A body that cannot be read as a request at all. */
  private static final class BodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BodyException(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
