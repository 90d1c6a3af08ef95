package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.embed.CachingEmbedder;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.IndexRebuild;
import org.trajlake.recall.index.IndexedTrajectory;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.recall.index.VectorGraph;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** Rebuilding the indexes behind the aliases with new settings against a real OpenSearch node, while writes go on. */
@RealServers(Component.OPENSEARCH)
class IndexRebuildIT {
  /** Indexes as made before code analysis was the default; no refresh, so only an explicit one shows a write. */
  private static final IndexAdmin.IndexSettings STANDARD_UNREFRESHED =
      new IndexAdmin.IndexSettings(1, 0, "-1", false, VectorGraph.DEFAULT, TextAnalysis.STANDARD);
  private static Embedder embedder;
  private static OpenSearchTransport transport;

  @BeforeAll
  static void loadModel() {
    embedder = new CachingEmbedder(OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, 2), 1000);
  }

  @AfterAll
  static void close() throws Exception {
    embedder.close();
    if (transport != null) {
      transport.close();
    }
  }

  @Test
  void rebuildsWithCodeAnalysisAndKeepsEveryWriteMadeDuringTheCopyAtItsLatestVersion(Endpoints servers)
      throws Exception {
    // Given indexes analysed as standard, holding 60 trajectories
    IndexNames names = new IndexNames("it-rebuild-" + System.nanoTime() + "-");
    DocumentWriter writer = writer(servers, names, STANDARD_UNREFRESHED);
    List<Trajectory> first = trajectories("t", 60);
    write(writer, first.stream().map(DOCUMENTS::of).toList());
    IndexRebuild rebuild = toDefaults(names);
    assertThat(rebuild.plan(names.trajectories()).changes())
        .containsExactly(new IndexRebuild.Change("text analysis", "standard", "code"));

    // When both aliases are rebuilt with the defaults while the indexer goes on writing through them. Once each
    // copy runs: a newer version of t0-t9 and 10 new trajectories (in the alias being copied they reach the
    // old index after the copy's view of it). During the trajectories' catch-up: 5 new ones (to the new index).
    Set<String> triggered = ConcurrentHashMap.newKeySet();
    List<IndexRebuild.Result> results = new ArrayList<>();
    for (IndexRebuild.Plan plan : rebuild.plans()) {
      int version = results.size() + 2;
      results.add(rebuild.rebuild(plan, false, progress -> {
        if (!triggered.add(progress.alias() + " " + progress.phase())) {
          return;
        }
        if (progress.phase() == IndexRebuild.Phase.COPY) {
          List<IndexedTrajectory> writes = new ArrayList<>();
          first.subList(0, 10).forEach(t -> writes.add(DOCUMENTS.of(Trajectories.rewarded(t, version / 10.0, version))));
          trajectories("copy" + version + "-", 10).forEach(t -> writes.add(DOCUMENTS.of(t)));
          write(writer, writes);
        } else if (progress.alias().equals(names.trajectories())) {
          write(writer, trajectories("catch-up-", 5).stream().map(DOCUMENTS::of).toList());
        }
      }));
    }

    // Then each alias has one index, the next generation, analysed as code, and the old ones are gone
    for (String alias : List.of(names.trajectories(), names.steps())) {
      IndexRebuild.Plan after = rebuild.plan(alias);
      assertThat(after.from()).containsExactly(alias + "-000002");
      assertThat(after.changes()).as("nothing left to change").isEmpty();
      assertThat(after.strays()).isEmpty();
      assertThat(new IndexAdmin(transport, names).textAnalysis(alias)).isEqualTo(TextAnalysis.CODE);
    }
    // And the 20 writes that reached each old index during its copy came over in the catch-up
    assertThat(results.get(0).copied()).isEqualTo(60);
    assertThat(results.get(0).caughtUp()).isEqualTo(20);
    assertThat(results.get(0).documents()).as("60, 10 during the copy, 5 during the catch-up").isEqualTo(75);
    assertThat(results.get(1).copied()).as("one tool call each, 75 trajectories").isEqualTo(75);
    assertThat(results.get(1).caughtUp()).isEqualTo(20);
    assertThat(results.get(1).documents()).isEqualTo(85);
    // And every trajectory and tool call is there at its latest version
    OpenSearchClient client = OpenSearchClients.client(transport);
    client.indices().refresh(r -> r.index(names.trajectories(), names.steps()));
    for (int i = 0; i < 10; i++) {
      String id = first.get(i).getTrajectoryId();
      GetResponse<Map> latest = client.get(g -> g.index(names.trajectories()).id(id), Map.class);
      assertThat(latest.version()).as(id).isEqualTo(DOCUMENTS.of(Trajectories.rewarded(first.get(i), 0.3, 3)).version());
      assertThat(latest.source()).containsEntry("reward", 0.3);
      assertThat(client.search(s -> s.index(names.steps()).query(q -> q.term(t -> t.field("trajectory_id")
          .value(v -> v.stringValue(id)))), Map.class).hits().hits()).singleElement()
          .satisfies(step -> assertThat(step.source()).containsEntry("reward", 0.3));
    }
    for (String id : List.of("copy2-9", "copy3-9", "catch-up-4", "t59")) {
      assertThat(client.get(g -> g.index(names.trajectories()).id(id), Map.class).found()).as(id).isTrue();
    }
    // And the new analysis answers: a part of an identifier finds the trajectories naming it
    assertThat(client.search(s -> s.index(names.trajectories()).query(q -> q.match(m -> m.field("text")
        .query(v -> v.stringValue("RefundFlow")))), Map.class).hits().total().value()).isEqualTo(85);
  }

  @Test
  void keepsTheOldIndexOutsideTheAliasWhenAskedAndNumbersTheNextRebuildAfterIt(Endpoints servers) throws Exception {
    // Given indexes holding 5 trajectories, rebuilt once keeping the old ones
    IndexNames names = new IndexNames("it-rebuild-keep-" + System.nanoTime() + "-");
    DocumentWriter writer = writer(servers, names, STANDARD_UNREFRESHED);
    writer.write(trajectories("k", 5).stream().map(DOCUMENTS::of).toList());
    IndexRebuild rebuild = toDefaults(names);
    IndexRebuild.Result kept = rebuild.rebuild(rebuild.plan(names.trajectories()), true, progress -> {});

    // When the next rebuild is planned, with a new graph
    IndexRebuild next = new IndexRebuild(transport, names,
        new IndexAdmin.IndexSettings(1, 0, "500ms", false, new VectorGraph(16, 100)), embedder.model());
    IndexRebuild.Plan plan = next.plan(names.trajectories());

    // Then the old index is kept outside the alias, named as a stray, and the next index comes after both
    assertThat(kept.oldDeleted()).isFalse();
    assertThat(plan.from()).containsExactly(names.trajectories() + "-000002");
    assertThat(plan.strays()).containsExactly(names.trajectories() + "-000001");
    assertThat(plan.to()).isEqualTo(names.trajectories() + "-000003");
    assertThat(plan.changes()).containsExactly(new IndexRebuild.Change("HNSW ef_construction", "64", "100"));
    assertThat(plan.documents()).isEqualTo(5);
  }

  @Test
  void holdsTheCopyToTheRateAsked(Endpoints servers) throws Exception {
    // Given 600 trajectories: two batches of the copy's 500
    IndexNames names = standardIndexesHolding(servers, "rate", 600);
    IndexRebuild rebuild = toDefaults(names);

    // When they are copied at 200 documents a second
    IndexRebuild.Result result = rebuild.rebuild(rebuild.plan(names.trajectories()), false, 200, progress -> {});

    // Then the second batch waited for the first's 2.5 s (unheld, the copy takes a few hundred milliseconds)
    assertThat(result.copied()).isEqualTo(600);
    assertThat(result.copyTook()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(result.documents()).isEqualTo(600);
  }

  @Test
  void stopsDuringTheCopyButFinishesOnceTheAliasHasMoved(Endpoints servers) throws Exception {
    // Given 600 trajectories
    IndexNames names = standardIndexesHolding(servers, "stop", 600);
    String alias = names.trajectories();

    // When a rebuild copying 100 a second is asked to stop once its copy has begun
    IndexRebuild stopped = toDefaults(names);
    IndexRebuild.Plan plan = stopped.plan(alias);
    assertThatThrownBy(() -> stopped.rebuild(plan, false, 100, progress -> stopped.stop()))
        .isInstanceOf(IndexRebuild.Stopped.class)
        .hasMessageContaining(alias + "-000002 deleted; " + alias + " still points at " + alias + "-000001");

    // Then the alias is where it was, with every document, and no new index is left (nor made again by a last batch)
    Thread.sleep(1000);
    IndexRebuild.Plan after = toDefaults(names).plan(alias);
    assertThat(after.from()).containsExactly(alias + "-000001");
    assertThat(after.strays()).isEmpty();
    assertThat(after.documents()).isEqualTo(600);

    // When the next rebuild is asked to stop during its catch-up, after the alias moved
    IndexRebuild late = toDefaults(names);
    IndexRebuild.Result result = late.rebuild(late.plan(alias), false, progress -> {
      if (progress.phase() == IndexRebuild.Phase.CATCH_UP) {
        late.stop();
      }
    });

    // Then it finishes: every document behind the new index, the old one deleted
    assertThat(result.documents()).isEqualTo(600);
    assertThat(result.oldDeleted()).isTrue();
    assertThat(late.plan(alias).from()).containsExactly(alias + "-000002");
  }

  @Test
  void refusesToRebuildAnIndexOfAnotherModel(Endpoints servers) throws Exception {
    // Given indexes holding bge-small vectors
    IndexNames names = new IndexNames("it-rebuild-model-" + System.nanoTime() + "-");
    writer(servers, names, IndexAdmin.IndexSettings.defaults());

    // When a rebuild is planned by a configuration naming another model, then it is refused, saying what to do
    IndexRebuild rebuild = new IndexRebuild(transport, names, IndexAdmin.IndexSettings.defaults(), "all-MiniLM-L6-v2");
    assertThatThrownBy(() -> rebuild.plan(names.trajectories())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds vectors of model '" + embedder.model() + "'")
        .hasMessageContaining("embedding.model is 'all-MiniLM-L6-v2'")
        .hasMessageContaining("new index.prefix");
  }

  private static final TrajectoryDocuments DOCUMENTS = new TrajectoryDocuments(32);

  /** Indexes analysed as standard (unrefreshed) holding {@code count} trajectories, under a prefix of their own. */
  private static IndexNames standardIndexesHolding(Endpoints servers, String test, int count) {
    IndexNames names = new IndexNames("it-rebuild-" + test + "-" + System.nanoTime() + "-");
    write(writer(servers, names, STANDARD_UNREFRESHED), trajectories(test, count).stream().map(DOCUMENTS::of).toList());
    return names;
  }

  /** A rebuild of {@code names} to the default settings, with the embedder's model. */
  private static IndexRebuild toDefaults(IndexNames names) {
    return new IndexRebuild(transport, names, IndexAdmin.IndexSettings.defaults(), embedder.model());
  }

  private static DocumentWriter writer(Endpoints servers, IndexNames names, IndexAdmin.IndexSettings settings) {
    if (transport == null) {
      transport = OpenSearchClients.transport(
          new OpenSearchSettings.Connection(servers.openSearchUrl(), "", "", names.prefix()));
    }
    IndexAdmin admin = new IndexAdmin(transport, names);
    admin.ensure(embedder.model(), embedder.dimension(), settings, DOCUMENTS);
    return new DocumentWriter(OpenSearchClients.client(transport), names, embedder, false, admin.bulkFormat());
  }

  private static List<Trajectory> trajectories(String idPrefix, int count) {
    List<Trajectory> trajectories = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      trajectories.add(Trajectories.coding(idPrefix + i, "team-a", "PaymentServiceTest.testRefundFlow fails, case " + i
          + " of " + idPrefix, "{\"cmd\":\"mvn -Dtest=PaymentServiceTest test -q " + i + "\"}", TrajectoryStatus.SUCCESS));
    }
    return trajectories;
  }

  private static void write(DocumentWriter writer, List<IndexedTrajectory> documents) {
    try {
      assertThat(writer.write(documents).perTrajectory()).allSatisfy(items ->
          assertThat(items).allMatch(DocumentWriter.ItemResult::ok));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
