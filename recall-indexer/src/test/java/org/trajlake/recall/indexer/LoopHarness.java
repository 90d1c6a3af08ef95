package org.trajlake.recall.indexer;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.DocumentWriter.ItemResult;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.IndexedTrajectory;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.runtime.DeadLetterProducer;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

/**
 * The indexing loop on a thread of its own, fed by a {@link MockConsumer}, dead-lettering to a
 * {@link MockProducer} and writing to a scripted {@link FakeWriter}: the whole delivery logic
 * without a server.
 */
final class LoopHarness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final IndexNames NAMES = new IndexNames("test-");

  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  /** The producers' view: registers schemas as it writes. */
  final Topics writerTopics = Topics.create("t.", registry, true);
  /** The indexer's view, with caches of its own, so a broken registry shows when it decodes. */
  final Topics readerTopics = Topics.create("t.", registry, false);
  final TopicPartition trajectories = new TopicPartition(readerTopics.trajectories().name(), 0);
  final TopicPartition rewarded = new TopicPartition(readerTopics.rewardedTrajectories().name(), 0);
  /** Every offset committed, kept here too: MockConsumer reports none for a partition it no longer holds. */
  private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
  final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      super.commitSync(offsets);
      offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
    }
  };
  final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final FakeWriter writer = new FakeWriter();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RecallIndexer loop;
  private final Thread thread;
  private final Map<TopicPartition, Long> nextOffset = new java.util.HashMap<>();

  private final ExecutorService bulkPool;
  private final LoopWatch watch;

  /** One bulk request at a time, sent from the loop's thread. */
  LoopHarness() {
    this(1);
  }

  /** Up to {@code concurrency} bulk requests in flight, as the indexer runs by default with 2. */
  LoopHarness(int concurrency) {
    this(concurrency, Duration.ZERO);
  }

  /**
   * Up to {@code concurrency} bulk requests in flight, the loop counting as stuck after {@code
   * stallAfter} without progress (zero: never).
   */
  LoopHarness(int concurrency, Duration stallAfter) {
    IndexerMetrics metrics = new IndexerMetrics(meters);
    bulkPool = concurrency == 1 ? null : Executors.newFixedThreadPool(concurrency);
    watch = LoopWatch.start("test-indexer", IndexerConfig.STALL_MS, stallAfter, List.of("test-indexer"));
    BulkStage bulk = new BulkStage(writer, concurrency, bulkPool == null ? Runnable::run : bulkPool, () -> 0L, metrics,
        NAMES, Clock.systemUTC(), BulkStage.BulkObserver.NONE, watch::beat);
    BatchProcessor processor = new BatchProcessor(new RecordDecoder(readerTopics, new TrajectoryDocuments(32), true), bulk,
        new DeadLetterProducer(producer, readerTopics.deadLetters().name(), IndexerApp.NAME, Clock.systemUTC()), metrics);
    loop = new RecallIndexer(consumer, List.of(trajectories.topic(), rewarded.topic()), processor, metrics,
        new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofMillis(10), watch);
    consumer.updateBeginningOffsets(Map.of(trajectories, 0L, rewarded, 0L));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(trajectories, rewarded)));
    thread = new Thread(loop, "test-indexer");
    thread.start();
  }

  /** Hands {@code records} to the loop in one poll (they form one batch). */
  void poll(List<ConsumerRecord<byte[], byte[]>> records) {
    consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
  }

  /** A record of the trajectories topic at the next offset, keyed by its id. */
  ConsumerRecord<byte[], byte[]> record(Trajectory trajectory) {
    return record(trajectories, trajectory.getTrajectoryId(),
        writerTopics.trajectories().valueSerde().serializer().serialize(trajectories.topic(), trajectory));
  }

  ConsumerRecord<byte[], byte[]> record(TopicPartition partition, String key, byte[] value) {
    long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** The offset committed for {@code partition}, or -1. */
  long committed(TopicPartition partition) {
    return commits.getOrDefault(partition, -1L);
  }

  void awaitCommitted(TopicPartition partition, long offset) {
    await().atMost(WAIT).until(() -> committed(partition) == offset);
  }

  List<ProducerRecord<byte[], byte[]>> deadLetters() {
    return producer.history();
  }

  double count(String name, String tag, String value) {
    Counter counter = meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  double count(String name) {
    Counter counter = meters.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    thread.join(WAIT.toMillis());
    if (bulkPool != null) {
      bulkPool.shutdownNow();
    }
    watch.close();
  }

  /** Answers bulk requests as scripted, then with every document created. */
  static final class FakeWriter implements BatchWriter {
    interface Answer {
      DocumentWriter.Result answer(List<IndexedTrajectory> trajectories) throws IOException;
    }

    /** The trajectory ids of each request, in order. */
    final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Answer> script = new ArrayDeque<>();

    synchronized FakeWriter then(Answer answer) {
      script.add(answer);
      return this;
    }

    @Override
    public DocumentWriter.Result write(List<IndexedTrajectory> trajectories) throws IOException {
      requests.add(trajectories.stream().map(IndexedTrajectory::id).toList());
      Answer answer;
      synchronized (this) {
        answer = script.isEmpty() ? FakeWriter::created : script.poll();
      }
      return answer.answer(trajectories);
    }

    static DocumentWriter.Result created(List<IndexedTrajectory> trajectories) {
      return withStatus(trajectories, Map.of(), "", "");
    }

    /** Every document created, except the trajectory documents of {@code statuses}' ids. */
    static DocumentWriter.Result withStatus(List<IndexedTrajectory> trajectories, Map<String, Integer> statuses,
        String errorType, String errorReason) {
      List<List<ItemResult>> results = new ArrayList<>();
      for (IndexedTrajectory t : trajectories) {
        List<ItemResult> items = new ArrayList<>();
        int status = statuses.getOrDefault(t.id(), 201);
        items.add(new ItemResult(NAMES.trajectories() + "-000001", t.id(), status,
            status == 201 ? null : errorType, status == 201 ? null : errorReason));
        t.toolCalls().forEach(call -> items.add(new ItemResult(NAMES.steps() + "-000001", call.id(), 201, null, null)));
        results.add(items);
      }
      return new DocumentWriter.Result(results);
    }
  }
}
