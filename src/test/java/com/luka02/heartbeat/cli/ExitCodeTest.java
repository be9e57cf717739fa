package com.luka02.heartbeat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.config.ConfigException;
import com.luka02.heartbeat.config.ConfigLoader;
import com.luka02.heartbeat.store.StoreException;
import com.luka02.heartbeat.store.StoreInUseException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each exit code comes from what went wrong, told by the exception's type, never by its words. */
class ExitCodeTest {
  @TempDir Path root;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return Main.execute(new PrintWriter(err, true), all.toArray(String[]::new));
  }

  @Test
  void typeDecides_notTheMessage() {
    String busyWords = "staging database x is in use by another process: Conflicting lock";
    assertEquals(Main.FAILED, Main.exitCode(new StoreException(busyWords, null)), "words alone are not busy");
    assertEquals(Main.BUSY, Main.exitCode(new StoreInUseException("held", null)));
    assertEquals(Main.CONFIG, Main.exitCode(new ConfigException(busyWords)));
    assertEquals(Main.FAILED, Main.exitCode(new IllegalStateException("invalid port")));
  }

  @Test
  void unknownOption_exits2() {
    assertEquals(Main.USAGE, run("catchup", "--no-such-option"));
  }

  @Test
  void invalidConfig_exits3() throws Exception {
    Path config = Files.writeString(root.resolve("bad.json"), "{\"port\": -1}");
    assertEquals(Main.CONFIG, run("--config", config.toString(), "catchup"));
    assertTrue(err.toString().contains("invalid port '-1'"), err.toString());
  }

  @Test
  void damagedStore_exits5() throws Exception {
    assertEquals(0, run("init"));
    Path db = root.resolve(ConfigLoader.DEFAULT_STAGING_DB);
    Files.createDirectories(db.getParent());
    Files.write(db, "not a database at all ".repeat(1000).getBytes(StandardCharsets.US_ASCII));
    assertEquals(Main.DAMAGED, run("catchup"));
    assertTrue(err.toString().contains("is damaged"), err.toString());
  }

  @Test
  void storeHeldByAnotherProcess_exits4() throws Exception {
    assertEquals(0, run("init"));
    Path db = root.resolve(ConfigLoader.DEFAULT_STAGING_DB);
    Files.createDirectories(db.getParent());
    // The test class that opens a store and holds it until its stdin closes.
    Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
        "-cp", System.getProperty("java.class.path"), "com.luka02.heartbeat.store.HoldStore", db.toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String ready = assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine);
      assertEquals("holding", ready, "the child did not open the store");

      assertEquals(Main.BUSY, run("catchup"));
      assertTrue(err.toString().contains("in use by another process"), err.toString());
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(10, TimeUnit.SECONDS)) {
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
