package org.trajlake.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The settings of the short-lived Admin client a service opens at start to check its topics, taken
 * from the Kafka client settings the service itself runs with (its consumer's, or its Streams app's).
 * The check used to get {@code bootstrap.servers} alone, so on a SASL or TLS listener every service
 * refused to start with "cannot reach Kafka" although its own clients were configured to connect.
 *
 * <p>Every key Admin knows is carried over ({@code security.protocol}, {@code sasl.*}, {@code ssl.*},
 * {@code client.dns.lookup}, ...); a key with the {@code admin.} prefix (as Kafka Streams reads it) wins
 * over the plain one. Keys only a consumer or producer knows are left out, and so is {@code client.id}:
 * the service's own client registers that name already.
 */
public final class CheckAdminProperties {
  private static final String ADMIN_PREFIX = "admin.";
  private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

  private CheckAdminProperties() {}

  /**
   * @param clientProperties the service's client settings, with {@code bootstrap.servers}
   * @param timeout how long each Admin call may take
   */
  public static Map<String, Object> from(Map<?, ?> clientProperties, Duration timeout) {
    Map<String, Object> admin = new HashMap<>();
    clientProperties.forEach((key, value) -> {
      String name = key.toString();
      if (ADMIN_KEYS.contains(name) && !clientProperties.containsKey(ADMIN_PREFIX + name)) {
        admin.put(name, value);
      } else if (name.startsWith(ADMIN_PREFIX) && ADMIN_KEYS.contains(name.substring(ADMIN_PREFIX.length()))) {
        admin.put(name.substring(ADMIN_PREFIX.length()), value);
      }
    });
    admin.remove(CommonClientConfigs.CLIENT_ID_CONFIG);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return admin;
  }

  /** The {@code bootstrap.servers} of {@code adminProperties}, for messages. */
  public static String bootstrapServers(Map<String, Object> adminProperties) {
    return String.valueOf(adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
  }
}
