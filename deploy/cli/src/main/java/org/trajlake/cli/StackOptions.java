package org.trajlake.cli;

import java.util.Map;
import org.trajlake.stack.StackConfig;
import org.trajlake.stack.StackSetting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The local stack's settings as options of a command, generated from {@link StackSetting} so flag
 * names, environment variables, defaults and docs are spelled in one place.
 */
final class StackOptions {
  static final String STOP_WITH_PARENT = "--stop-with-parent";

  private StackOptions() {}

  static void addTo(CommandSpec command) {
    for (StackSetting setting : StackSetting.values()) {
      String defaultText = setting.defaultValue().isEmpty() ? "" : " Default: " + setting.defaultValue() + ".";
      command.addOption(OptionSpec.builder(setting.flag())
          .paramLabel(setting.valueLabel())
          .type(String.class)
          .description(setting.doc() + "." + defaultText + " Env: " + setting.envVar() + ".")
          .build());
    }
    // For supervisors and tests: the servers then exit as soon as this command's JVM is gone.
    command.addOption(OptionSpec.builder(STOP_WITH_PARENT).arity("0").type(boolean.class).hidden(true).build());
  }

  /** The settings from this command's flags, then TRAJLAKE_* variables, then defaults. */
  static StackConfig config(CommandSpec command, Map<String, String> env) {
    StackConfig.Builder builder = StackConfig.builder().environment(env);
    for (StackSetting setting : StackSetting.values()) {
      OptionSpec option = command.findOption(setting.flag());
      if (option != null && option.getValue() != null) {
        builder.set(setting, option.getValue());
      }
    }
    OptionSpec stopWithParent = command.findOption(STOP_WITH_PARENT);
    builder.stopWithParent(stopWithParent != null && Boolean.TRUE.equals(stopWithParent.getValue()));
    return builder.build();
  }
}
