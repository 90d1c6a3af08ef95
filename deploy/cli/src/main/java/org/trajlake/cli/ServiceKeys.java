package org.trajlake.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.trajlake.runtime.Settings;

/**
 * Every key and free prefix some trajlake service reads, learnt by building each service's config from its
 * defaults, so a key given with --set can be told apart: another service's (a script giving every service the
 * same list) or no service's at all (a typo, refused).
 */
final class ServiceKeys {
  private static final Settings READ_BY_SOME_SERVICE = probe();

  private ServiceKeys() {}

  /** Whether any service reads {@code key}, as itself, under its service's name, or under a free prefix. */
  static boolean anyServiceReads(String key) {
    return READ_BY_SOME_SERVICE.wasRead(key);
  }

  private static Settings probe() {
    Settings probe = Settings.of(Map.of());
    List<Consumer<Settings>> builds = List.of(
        AllServices.Configs::from,
        settings -> ProvisionCommand.kafkaClient(ProvisionCommand.kafkaTopicsConfig(settings, ProvisionCommand.CONFIG),
            settings, ProvisionCommand.ADMIN_PREFIX),
        settings -> ProvisionCommand.kafkaClient(ProvisionCommand.kafkaTopicsConfig(settings, DlqCommand.CONFIG),
            settings, DlqCommand.CONSUMER_PREFIX));
    for (Consumer<Settings> build : builds) {
      try {
        build.accept(probe);
      } catch (RuntimeException refusedWithDefaults) {
        // The keys it read before refusing are noted all the same.
      }
    }
    return probe;
  }
}
