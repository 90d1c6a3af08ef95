package org.trajlake.cli.demo;

import java.util.List;

/**
 * A kind of task a coding agent gets, with what it sees, the files it touches and how a good and a
 * poor attempt go. The demo's fleet draws its trajectories from these.
 *
 * @param slug short task name, the start of every task_id of this kind
 * @param failure what CI or the user reports: the trajectory's first observation
 * @param cause the diagnosis a good attempt reaches
 * @param file the file the fix goes in
 * @param testCommand how the agent runs the tests
 * @param fix what a good attempt changes
 * @param wrongFix what a poor attempt tries instead
 */
record CodingTask(String slug, String failure, String cause, String file, String testCommand, String fix,
    String wrongFix) {

  static final List<CodingTask> ALL = List.of(
      new CodingTask("flaky-order-timeout",
          "CI failed: OrderServiceTest.placesOrderBeforeDeadline timed out after 30s on the build agent",
          "OrderService waits on the system clock; the test sleeps until a real deadline passes",
          "src/main/java/shop/OrderService.java", "mvn -q test -Dtest=OrderServiceTest",
          "inject a java.time.Clock into OrderService and use a fixed clock in the test",
          "raise the test timeout from 30s to 120s"),
      new CodingTask("npe-invoice-mapper",
          "NullPointerException at InvoiceMapper.toDto(InvoiceMapper.java:48) when an invoice has no billing address",
          "billingAddress is optional in the schema but the mapper dereferences it unconditionally",
          "src/main/java/billing/InvoiceMapper.java", "mvn -q test -Dtest=InvoiceMapperTest",
          "map a missing billing address to null and add a test for an invoice without one",
          "catch the NullPointerException and return an empty DTO"),
      new CodingTask("jackson-upgrade",
          "Dependabot: bump com.fasterxml.jackson.core:jackson-databind from 2.15.2 to 2.17.1 breaks the build",
          "2.17 rejects the duplicate @JsonProperty on PaymentRequest.amount",
          "src/main/java/payments/PaymentRequest.java", "mvn -q verify",
          "remove the duplicate annotation and pin jackson-bom 2.17.1",
          "pin jackson-databind back to 2.15.2"),
      new CodingTask("users-pagination",
          "Feature request: GET /users returns all 40k users at once; add page and size parameters",
          "UserController loads the whole table; the repository supports Pageable already",
          "src/main/java/accounts/UserController.java", "mvn -q test -Dtest=UserControllerTest",
          "accept page/size, pass a PageRequest to the repository, return a Link header",
          "slice the full list in memory"),
      new CodingTask("slow-search-query",
          "p95 of /search rose from 80ms to 900ms after the last release; the DB shows a sequential scan",
          "the new filter on products.category_id has no index",
          "src/main/resources/db/migration/V42__category_index.sql", "mvn -q verify -Pit",
          "add a migration creating an index on products(category_id, updated_at)",
          "cache search results for 10 minutes"),
      new CodingTask("utf8-csv-export",
          "Customers in Japan get mojibake in the CSV export: names show as ??? in Excel",
          "the writer uses the platform charset and Excel needs a BOM for UTF-8",
          "src/main/java/reports/CsvExporter.java", "mvn -q test -Dtest=CsvExporterTest",
          "write UTF-8 explicitly with a byte order mark",
          "strip non-ASCII characters from names"));
}
