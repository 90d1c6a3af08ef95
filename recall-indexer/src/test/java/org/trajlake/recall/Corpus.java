package org.trajlake.recall;

import static org.trajlake.recall.RecallFixtures.DAY_1;
import static org.trajlake.recall.RecallFixtures.rewarded;
import static org.trajlake.recall.RecallFixtures.trajectory;

import java.time.Duration;
import java.util.List;
import org.trajlake.schema.TrajectoryStatus;

/**
 * A small memory of one team's coding work, for recall tests: six tasks, different tools, statuses,
 * tags, rewards and days. Ids name what each is about.
 */
public final class Corpus {
  public static final String CLOCK = "clock";
  public static final String INVOICE = "invoice";
  public static final String NPE = "npe";
  public static final String README = "readme";
  public static final String JACKSON = "jackson";
  public static final String PAGINATION = "pagination";

  private Corpus() {}

  /** The six trajectories of {@code workspace}, ids prefixed with {@code idPrefix}. */
  public static List<Object> team(String workspace, String idPrefix) {
    return List.of(
        rewarded(trajectory(idPrefix + CLOCK, workspace,
            "OrderServiceTest times out on CI: the retry loop sleeps for thirty seconds between attempts")
            .call("bash", "{\"cmd\":\"mvn -pl orders test -Dtest=OrderServiceTest\"}",
                "Tests run: 4, Failures: 0, Errors: 1 (TimeoutException after 60 s)", true)
            .call("edit_file", "{\"path\":\"orders/src/main/java/shop/RetryPolicy.java\"}", "edited", false)
            .tags("lang:java", "ci").startedAt(DAY_1.plus(Duration.ofDays(1))).build(), 0.9, "pr_merged"),
        rewarded(trajectory(idPrefix + INVOICE, workspace, "Fix rounding of invoice totals in the billing module")
            .call("bash", "{\"cmd\":\"mvn -pl billing test -Dtest=InvoiceRoundingTest#halfEven\"}",
                "expected: <10.05> but was: <10.04>", true)
            .status(TrajectoryStatus.FAILURE).tags("lang:java").startedAt(DAY_1.plus(Duration.ofDays(2))).build(),
            0.1, "tests_passed"),
        rewarded(trajectory(idPrefix + NPE, workspace,
            "Fix the NullPointerException in CustomerMapper when a customer has no address")
            .call("edit_file", "{\"path\":\"src/main/java/shop/CustomerMapper.java\"}", "edited", false)
            .tags("lang:java").startedAt(DAY_1.plus(Duration.ofDays(3))).build(), 0.7, "pr_merged"),
        trajectory(idPrefix + README, workspace, "Write the deployment section of the README for Kubernetes")
            .call("write_file", "{\"path\":\"README.md\"}", "written", false)
            .tags("docs").startedAt(DAY_1.plus(Duration.ofDays(4))).build(),
        trajectory(idPrefix + JACKSON, workspace, "Upgrade Jackson to 2.21 and replace the deprecated API calls")
            .call("bash", "{\"cmd\":\"mvn versions:use-latest-releases -Dincludes=com.fasterxml.jackson*\"}",
                "Updated 3 dependencies", false)
            .status(TrajectoryStatus.ABORTED).tags("lang:java", "deps").startedAt(DAY_1.plus(Duration.ofDays(5))).build(),
        rewarded(trajectory(idPrefix + PAGINATION, workspace, "Add pagination to the invoices REST endpoint")
            .call("edit_file", "{\"path\":\"src/main/java/shop/InvoiceResource.java\"}", "edited", false)
            .tags("lang:java", "api").startedAt(DAY_1).build(), 0.5, "user_kept"));
  }
}
