package org.trajlake.recall.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Embeddings computed in this JVM with an ONNX model shipped in a Maven Central jar: nothing is
 * downloaded at run time. Three models are supported; all give 384 dimensions.
 *
 * <ul>
 *   <li>{@code all-minilm-l6-v2-q} (default): sentence-transformers all-MiniLM-L6-v2, int8-quantized, 6 layers, 23 MB.
 *   <li>{@code bge-small-en-v1.5-q}: BAAI bge-small-en-v1.5, int8-quantized, 12 layers, 34 MB.
 *   <li>{@code all-minilm-l6-v2}: MiniLM unquantized, 83 MB.
 * </ul>
 *
 * Chosen by {@code trajlake bench models}: 120 hand-written coding tasks in 30 topics of 4 near misses,
 * each looked up by another agent's request for it in other words. MiniLM-q found the right task first
 * for 81.7% of the requests (top-5 98.3%), bge-small-q for 80.0% (95.0%), and MiniLM-q embedded
 * summaries about twice as fast (154 against 74 texts/s on 2 busy cores). bge leads on public
 * retrieval benchmarks of longer passages (MTEB); on short task summaries it was no better here, so
 * it is one setting away ({@code embedding.model}) for fleets whose own pairs say otherwise.
 *
 * <p>Each model runs in one ONNX Runtime session whose operators use one thread and do not
 * spin-wait; the bounded pool runs that many texts at once. ONNX Runtime's defaults (one
 * spinning thread per core for every inference) on top of a pool of two doubled the threads on
 * 2 cores: bge-small-q embedded 100 texts/s that way against 190 with it, and the spinning took CPU
 * from OpenSearch running beside it.
 */
public final class OnnxEmbedder implements Embedder {
  public static final String BGE_SMALL = "bge-small-en-v1.5-q";
  public static final String MINILM_Q = "all-minilm-l6-v2-q";
  public static final String MINILM = "all-minilm-l6-v2";
  /** The model a service embeds with unless {@code embedding.model} says otherwise. */
  public static final String DEFAULT_MODEL = MINILM_Q;
  /** How the embedding pool's threads are named: a thread dump tells them by it. */
  public static final String THREAD_NAME_PREFIX = "trajlake-embed-";
  /** What a blank text is embedded as. */
  static final String BLANK = "(empty)";
  /** The supported models by name: the resource files in their jars and how each pools tokens. */
  private static final Map<String, ModelFiles> MODELS = Map.of(
      BGE_SMALL, new ModelFiles("bge-small-en-v1.5-q", PoolingMode.CLS),
      MINILM_Q, new ModelFiles("all-minilm-l6-v2-q", PoolingMode.MEAN),
      MINILM, new ModelFiles("all-minilm-l6-v2", PoolingMode.MEAN));

  private final String name;
  private final OrtSession session;
  private final SessionModel model;
  private final ExecutorService pool;
  private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private OnnxEmbedder(String name, OrtSession session, SessionModel model, ExecutorService pool) {
    this.name = name;
    this.session = session;
    this.model = model;
    this.pool = pool;
  }

  /** The names {@link #load} accepts. */
  public static List<String> supported() {
    return List.of(MINILM_Q, BGE_SMALL, MINILM);
  }

  /**
   * Loads model {@code name} with a bounded pool of {@code threads}: that many texts are embedded
   * at once, each on one thread.
   *
   * @throws IllegalArgumentException naming the supported models
   */
  public static OnnxEmbedder load(String name, int threads) {
    String key = name.toLowerCase(Locale.ROOT);
    ModelFiles files = MODELS.get(key);
    if (files == null) {
      throw new IllegalArgumentException("unknown embedding model '" + name + "'; supported: "
          + String.join(", ", supported()));
    }
    OrtSession session = files.openSession();
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, THREAD_NAME_PREFIX + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try (InputStream tokenizer = files.open(files.base() + "-tokenizer.json")) {
      OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(OrtEnvironment.getEnvironment(), session, tokenizer,
          files.pooling());
      return new OnnxEmbedder(key, session, new SessionModel(encoder, pool), pool);
    } catch (IOException | RuntimeException e) {
      pool.shutdown();
      closeQuietly(session);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  @Override
  public String model() {
    return name;
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    // Held while the native session runs, so close() never frees it under an inference.
    if (!inUse.readLock().tryLock()) {
      throw new IllegalStateException("the " + name + " embedder is closed");
    }
    try {
      if (closed) {
        throw new IllegalStateException("the " + name + " embedder is closed");
      }
      return embedOpen(texts);
    } finally {
      inUse.readLock().unlock();
    }
  }

  private List<float[]> embedOpen(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      // langchain4j refuses a blank segment (a trajectory with no text at all has a blank summary);
      // it embeds as a fixed word instead, so every document still gets a usable vector.
      segments.add(TextSegment.from(text == null || text.isBlank() ? BLANK : text));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding embedding : embeddings) {
      vectors.add(embedding.vector());
    }
    return vectors;
  }

  /** Waits for the inferences under way, then frees the session; later calls to embed fail. */
  @Override
  public void close() {
    inUse.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      pool.shutdownNow();
      closeQuietly(session);
    } finally {
      inUse.writeLock().unlock();
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing frees native memory; a failure there leaves nothing for the caller to do.
    }
  }

  /** A model's files in its jar ({@code <base>.onnx}, {@code <base>-tokenizer.json}) and its pooling. */
  private record ModelFiles(String base, PoolingMode pooling) {
    OrtSession openSession() {
      try (InputStream model = open(base + ".onnx"); OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return OrtEnvironment.getEnvironment().createSession(model.readAllBytes(), options);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the " + base + " model from its jar", e);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime cannot load the " + base + " model: " + e.getMessage(), e);
      }
    }

    InputStream open(String resource) throws IOException {
      InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        throw new IOException(resource + " is not on the classpath; its langchain4j-embeddings jar is missing");
      }
      return in;
    }
  }

  /**
   * langchain4j's in-process model over a session opened here: it tokenizes, splits texts longer
   * than the model's window and pools, and spreads a batch's texts over the pool.
   */
  private static final class SessionModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    SessionModel(OnnxBertBiEncoder encoder, Executor pool) {
      super(pool);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }
  }
}
