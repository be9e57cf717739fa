package com.luka02.heartbeat.cli;

import java.io.PrintStream;
import java.util.Set;

/**
 * What the process tells the service manager that runs it. systemd can be told which exit codes
 * not to restart after ({@code RestartPreventExitStatus}); launchd cannot: with {@code KeepAlive}
 * {@code SuccessfulExit=false} it restarts after every non-zero exit, every {@code ThrottleInterval},
 * forever. So under launchd (the plist sets {@value #ENV}{@code =launchd}) an error that a restart
 * cannot fix is reported on standard error and the process exits 0.
 */
final class Supervisor {
  /** The environment variable naming the service manager, set by the launchd plist. */
  static final String ENV = "HEARTBEAT_SUPERVISOR";
  /** A bad command line, an invalid configuration, a busy root, a damaged store: the same again next time. */
  static final Set<Integer> UNRECOVERABLE = Set.of(Main.USAGE, Main.CONFIG, Main.BUSY, Main.DAMAGED);

  private Supervisor() {}

  static boolean launchd(String supervisor) {
    return "launchd".equals(supervisor);
  }

  /** The exit code to end with: {@code code}, or 0 with an explanation when launchd would restart in vain. */
  static int exitCode(int code, String supervisor, PrintStream err) {
    if (!launchd(supervisor) || !UNRECOVERABLE.contains(code)) {
      return code;
    }
    err.println("heartbeat-ingester: exiting 0 instead of " + code + " so that launchd does not restart it every"
        + " 30 s; fix the error above, then: launchctl kickstart -k gui/$(id -u)/com.02luka.heartbeat-ingester");
    return 0;
  }
}
