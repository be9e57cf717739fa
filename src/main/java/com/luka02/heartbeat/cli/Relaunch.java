package com.luka02.heartbeat.cli;

import com.luka02.heartbeat.config.ConfigLoader;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Gives {@code run} the JVM settings of a small, always-on service when it was started plainly
 * ({@code java -jar heartbeat-ingester.jar run}, as the README says): without a heap cap the JVM sizes
 * its heap for a batch job (a quarter of the machine) and an idle agent grows to hundreds of MB.
 *
 * <p>The process replaces itself ({@code execve}) with the same command plus {@link #AGENT_JVM_OPTIONS}
 * (and, on Linux, {@link #LINUX_ENVIRONMENT}):
 * the same pid, so supervisors, {@code agent.json} and signals are unaffected, and no second JVM stays
 * behind. A command line that already sets the heap (the service units do) is left as it is.
 */
final class Relaunch {
  /**
   * The agent's JVM settings; the service units use the same. See README, "Memory": a small heap
   * grown only as needed and handed back after a collection; no 50 ms performance-counter sampling
   * (it was the idle JVM's largest cost); idle monitors deflated every 10 s instead of 4 times a second;
   * the client compiler alone: an agent that waits for a report every 5 minutes gains nothing from C2,
   * whose compilations were the idle agent's largest cost after start-up.
   */
  static final List<String> AGENT_JVM_OPTIONS = List.of(
      "-Xms16m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
      "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=10000",
      "-XX:GuaranteedSafepointInterval=0", "-XX:-ShrinkHeapInSteps", "-XX:TieredStopAtLevel=1");
  /**
   * A catch-up's JVM settings: a batch job of a few seconds that must stay below the old exporter's
   * memory. The client compiler alone: C2 spent 5-6 s of CPU compiling what a catch-up runs once
   * (measured on a year's tree), more than its faster code saves. A heap capped where a year's walk
   * fits many times (a catch-up streams its files, it does not hold them) and started at half the cap:
   * grown from 16 MB, a year's catch-up paused for 4 full and 70 young collections, 0.65-0.8 s, against
   * 25 young ones, 0.45 s, for 30-40 MB more peak RSS (medians of 4 interleaved: 5.15 s against 4.72 s).
   */
  static final List<String> CATCHUP_JVM_OPTIONS = List.of(
      "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");
  /**
   * The settings of the other commands that open the store ({@code rollover}, {@code recover}, a
   * catch-up of what changed): work of a second or less, most of it the JVM's start. The client
   * compiler alone spends a fraction of the CPU C2 spends compiling start-up code that runs once; a
   * {@code rollover --date} of one day took 1.05-1.18 s plainly and 0.70-0.81 s so, relaunch included.
   */
  static final List<String> COMMAND_JVM_OPTIONS = List.of(
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");
  /** The commands besides {@code run} that open the store in their own process (unless an agent runs). */
  static final Set<String> STORE_COMMANDS = Set.of("catchup", "rollover", "recover");
  /**
   * The environment every relaunched JVM gets on Linux, unless already set: glibc's malloc keeps up to
   * eight arenas per core for the JVM's own native memory, each grown by whichever threads used it and
   * rarely given back; two held an idle agent on a year 137 MB against 160 MB (see README, "Memory").
   * The service unit sets the same. macOS's allocator has no such setting.
   */
  static final Map<String, String> LINUX_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");
  /** Set on the relaunched JVM, so that it never relaunches again. */
  static final String MARKER = "heartbeat.relaunched";
  private static final Set<String> VALUED_OPTIONS = Set.of("--root", "--config");
  /** The launcher's class path options, each followed by its value. */
  private static final Set<String> CLASS_PATH_OPTIONS = Set.of("-cp", "-classpath", "--class-path");
  /** JNA's folder of its dispatch library, looked in before the library is unpacked from the jar. */
  static final String JNA_BOOT_PATH = "jna.boot.library.path";
  private static final String JNA_PLATFORM_PATH = "jna.platform.library.path";
  /** Where a root keeps its store by default, and where it kept it before (see StagingLocation). */
  private static final List<String> STORES = List.of(ConfigLoader.DEFAULT_STAGING_DB, ConfigLoader.LEGACY_STAGING_DB);

  private Relaunch() {}

  /** The libc call that replaces the process image and its environment; returns only when it failed. */
  private interface LibC extends Library {
    int execve(String path, String[] argv, String[] envp);
  }

  /** The JVM settings a plain start of the command in {@code args} is given, or null when it runs as started. */
  static List<String> optionsFor(String[] args) {
    String command = subcommand(args);
    if ("run".equals(command)) {
      return AGENT_JVM_OPTIONS;
    }
    if ("catchup".equals(command) && readsEverything(args)) {
      return CATCHUP_JVM_OPTIONS;
    }
    return command != null && STORE_COMMANDS.contains(command) ? COMMAND_JVM_OPTIONS : null;
  }

  /**
   * Whether a catch-up will read the whole tree: the first one (no store yet where the root keeps it)
   * or a {@code --reparse}. Only then does it need the larger heap of {@link #CATCHUP_JVM_OPTIONS}.
   */
  private static boolean readsEverything(String[] args) {
    Path root = Path.of(System.getProperty("user.dir"));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--reparse")) {
        return true;
      } else if (args[i].equals("--root") && i + 1 < args.length) {
        root = Path.of(args[i + 1]);
      } else if (args[i].startsWith("--root=")) {
        root = Path.of(args[i].substring("--root=".length()));
      }
    }
    Path at = root;
    return STORES.stream().noneMatch(store -> Files.exists(at.resolve(store)));
  }

  /** Replaces this process with a tuned JVM when {@code args} start the agent or a catch-up plainly; else returns. */
  static void ifPlainRun(String[] args) {
    // The relaunched JVM and the commands that run as started stop here.
    List<String> options = System.getProperty(MARKER) != null || osNameStartsWith("windows") ? null : optionsFor(args);
    if (options == null) {
      return;
    }
    ProcessHandle.Info self = ProcessHandle.current().info();
    String java = self.command().orElse(null);
    if (java == null) {
      return;
    }
    List<String> jvmArgs = self.arguments().map(argv -> jvmOptions(List.of(argv), args)).orElse(null);
    if (jvmArgs == null) {
      jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
    } else if (setsHeap(launcherEnvironmentOptions(System.getenv()))) {
      return;
    }
    if (setsHeap(jvmArgs)) {
      return;
    }
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.addAll(options);
    argv.add("-D" + MARKER + "=true");
    String jnaBoot = prepareJna(System.err);
    if (jnaBoot != null) {
      argv.add("-D" + JNA_BOOT_PATH + "=" + jnaBoot); // the hash of a catch-up and the agent load JNA too
    }
    argv.addAll(jvmArgs);
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    argv.addAll(List.of(args));
    System.out.flush();
    System.err.flush();
    try {
      Native.load("c", LibC.class).execve(java, argv.toArray(String[]::new),
          environment(System.getenv(), osNameStartsWith("linux")));
    } catch (LinkageError | RuntimeException e) {
      // Fall through: the agent runs as started.
    }
    System.err.println("warning: could not restart with " + String.join(" ", options)
        + "; running with the JVM's defaults (pass -Xmx to choose)");
  }

  /**
   * The JVM options this JVM was started with, read from its command line ({@code argv}, without the
   * java command): what comes before {@code -jar JAR} or the main class, less the class path, which the
   * relaunch names itself. Null when the command line is not of that form (an {@code @argfile}, another
   * main class, arguments that do not end it): then the management API says, which costs the relaunch
   * some 250 classes (20-25 ms). The options {@code JDK_JAVA_OPTIONS} and {@code JAVA_TOOL_OPTIONS} give
   * are not on the command line; the relaunched JVM reads them from the environment again.
   */
  static List<String> jvmOptions(List<String> argv, String[] args) {
    int end = argv.size() - args.length;
    if (end < 1 || !argv.subList(end, argv.size()).equals(List.of(args))) {
      return null;
    }
    if (end >= 2 && argv.get(end - 2).equals("-jar")) {
      end -= 2;
    } else if (argv.get(end - 1).equals(Main.class.getName())) {
      end -= 1;
    } else {
      return null;
    }
    List<String> options = new ArrayList<>();
    for (int i = 0; i < end; i++) {
      String a = argv.get(i);
      if (a.startsWith("@")) {
        return null;
      } else if (CLASS_PATH_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("--class-path=")) {
        options.add(a);
      }
    }
    return options;
  }

  /** The options the launcher and the JVM take from the environment rather than the command line. */
  private static List<String> launcherEnvironmentOptions(Map<String, String> env) {
    List<String> options = new ArrayList<>();
    for (String name : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        options.addAll(List.of(value.strip().split("\\s+")));
      }
    }
    return options;
  }

  /**
   * Readies JNA for {@code execve}, the relaunch's one native call; returns the folder of its dispatch
   * library, or null when JNA unpacks its own. JNA otherwise unpacks that library from the jar into a
   * new temp file at every start (25 ms), and on Linux its first library lookup runs {@code /sbin/ldconfig
   * -p} in a child process (20 ms) to learn the system's library folders unless {@code
   * jna.platform.library.path} is set: {@code execve} is looked up in the process itself ({@code
   * dlopen(NULL)}), so the relaunching JVM sets it empty. Should the {@code execve} fail, this JVM runs the
   * command as started and loads OpenSSL by its file names through the dynamic linker, as it does anyway.
   */
  static String prepareJna(java.io.PrintStream warnings) {
    if (osNameStartsWith("linux") && System.getProperty(JNA_PLATFORM_PATH) == null) {
      System.setProperty(JNA_PLATFORM_PATH, "");
    }
    if (System.getProperty(JNA_BOOT_PATH) != null) {
      return null; // the user's choice
    }
    String name = System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib"); // JNA's own mapping
    java.net.URL bundled = Relaunch.class.getResource("/com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/" + name);
    if (bundled == null) {
      return null;
    }
    try {
      String dir = new NativeLibraryCache(NativeLibraryHome.defaultDir().resolveSibling("native-jna"), name, warnings)
          .copyOf(bundled).getParent().toString();
      System.setProperty(JNA_BOOT_PATH, dir);
      return dir;
    } catch (java.io.IOException | RuntimeException e) {
      return null; // JNA unpacks its own, as before
    }
  }

  /** {@code current} as {@code NAME=value} entries, with {@link #LINUX_ENVIRONMENT} added on Linux where unset. */
  static String[] environment(Map<String, String> current, boolean linux) {
    Map<String, String> env = new TreeMap<>(current);
    if (linux) {
      LINUX_ENVIRONMENT.forEach(env::putIfAbsent);
    }
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  private static boolean osNameStartsWith(String prefix) {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith(prefix);
  }

  /** The command's name: the first argument that is neither a global option nor its value. */
  static String subcommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (VALUED_OPTIONS.contains(args[i])) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return args[i];
      }
    }
    return null;
  }

  private static boolean setsHeap(List<String> jvmArgs) {
    return jvmArgs.stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize")
        || a.startsWith("-XX:MaxRAMPercentage") || a.startsWith("-XX:MaxRAM="));
  }
}
