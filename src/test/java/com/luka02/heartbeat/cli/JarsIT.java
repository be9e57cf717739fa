package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two jars `mvn package` builds, run as a user runs them (failsafe, after packaging): the shipping
 * jar holds no benchmark and no test fixture and offers no {@code bench}; the bench jar starts, needs
 * nothing but itself, the shipping jar and the JDK, and runs its children from the shipping jar.
 */
class JarsIT {
  private static final List<String> NOT_SHIPPED =
      List.of("com/luka02/heartbeat/bench/", "com/luka02/heartbeat/fixtures/", "com/luka02/heartbeat/testing/");

  @TempDir Path dir;

  private record Run(int code, String out) {}

  private static Path jar(String property) {
    String path = System.getProperty(property);
    assertNotNull(path, "-D" + property + " is not set: run this through `mvn verify` (failsafe)");
    Path jar = Path.of(path);
    assertTrue(Files.isRegularFile(jar), jar + " was not built");
    return jar;
  }

  private Run java(String... args) throws IOException, InterruptedException {
    return java(Map.of(), args);
  }

  private Run java(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
        "-D" + NativeLibraryLoader.CACHE_PROPERTY + "=" + dir.resolve("native")));
    cmd.addAll(List.of(args));
    return run(cmd, env);
  }

  private Run run(List<String> cmd) throws IOException, InterruptedException {
    return run(cmd, Map.of());
  }

  private Run run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish within 120 s");
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  @Test
  void theShippingJarHoldsTheProductButNoBenchmarkAndNoFixture() throws IOException {
    try (JarFile jar = new JarFile(jar("product.jar").toFile())) {
      List<String> leaked = jar.stream().map(ZipEntry::getName)
          .filter(name -> NOT_SHIPPED.stream().anyMatch(name::startsWith)).toList();

      assertNotNull(jar.getEntry("com/luka02/heartbeat/cli/Main.class"), "not the product jar");
      assertEquals(List.of(), leaked);
    }
  }

  @Test
  void theShippingJarsHelpListsTheCommandsWithoutBench() throws Exception {
    Run help = java("-jar", jar("product.jar").toString(), "--help");

    assertEquals(0, help.code(), help.out());
    assertTrue(help.out().contains("check-config"), help.out());
    assertFalse(help.out().contains("bench"), help.out());
  }

  @Test
  void aPlainCatchupOfTheShippingJarRelaunchesWithTheJvmOptionsItWasGiven() throws Exception {
    Files.createDirectories(dir.resolve("root/g/reports"));
    // Each JVM that has the option prints its flags: the relaunched one has it only if it was passed on.
    Run catchup = java("-XX:+PrintCommandLineFlags", "-jar", jar("product.jar").toString(),
        "--root", dir.resolve("root").toString(), "catchup");

    assertEquals(0, catchup.code(), catchup.out());
    assertTrue(catchup.out().lines().anyMatch(l -> l.contains("-XX:+PrintCommandLineFlags")
        && l.contains("-XX:+UseSerialGC") && l.contains("-XX:TieredStopAtLevel=1")), catchup.out());
  }

  @Test
  void aCatchupGivenItsHeapInJdkJavaOptionsRunsAsStarted() throws Exception {
    Files.createDirectories(dir.resolve("root/g/reports"));
    Run catchup = java(Map.of("JDK_JAVA_OPTIONS", "-Xmx300m -XX:+PrintCommandLineFlags"),
        "-jar", jar("product.jar").toString(), "--root", dir.resolve("root").toString(), "catchup");

    assertEquals(0, catchup.code(), catchup.out());
    List<String> flags = catchup.out().lines().filter(l -> l.startsWith("-XX:")).toList(); // each JVM's flags
    assertEquals(1, flags.size(), "one JVM, not relaunched:\n" + catchup.out());
    assertTrue(flags.get(0).contains("-XX:MaxHeapSize=314572800"), catchup.out());
  }

  @Test
  void theBenchJarStartsAndOffersItsMeasurements() throws Exception {
    Run help = java("-jar", jar("bench.jar").toString(), "--help");

    assertEquals(0, help.code(), help.out());
    for (String option : List.of("--only", "--days", "--idle-seconds", "--sustain-seconds", "--jar")) {
      assertTrue(help.out().contains(option), option + " missing from:\n" + help.out());
    }
  }

  @Test
  void theBenchJarNeedsNoTestCodeNorJUnit() throws Exception {
    // The bench jar is cut from the test classes: a reference to a test helper would compile and then
    // fail at run time. jdeps lists every class it refers to that neither jar nor the JDK holds.
    Run missing = run(List.of(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
        "--multi-release", "17", "--class-path", jar("product.jar").toString(), "--missing-deps",
        jar("bench.jar").toString()));

    assertEquals(0, missing.code(), missing.out());
    assertEquals("", missing.out().strip());
  }

  @Test
  void theBenchRunsItsChildrenFromTheShippingJarBesideIt() throws Exception {
    Run version = java("-jar", jar("bench.jar").toString(), "--version");

    String prefix = "heartbeat-ingester-bench; children run ";
    assertEquals(0, version.code(), version.out());
    assertTrue(version.out().startsWith(prefix), version.out());
    assertTrue(Files.isSameFile(jar("product.jar"), Path.of(version.out().substring(prefix.length()).strip())),
        version.out());
  }
}
