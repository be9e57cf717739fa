package com.luka02.heartbeat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small disk: a tmpfs mounted on a folder, to fill and free. Needs Linux and the right to
 * mount (root in CI); {@link #mount} skips the test elsewhere.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path dir;

  private SmallDisk(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (as mount takes it, e.g. {@code 4m}) on {@code dir}, or skips the test. */
  public static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs mounts are Linux only");
    Files.createDirectories(dir);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()) == 0,
        "mounting a tmpfs is not permitted here");
    return new SmallDisk(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Writes until the disk refuses; returns the file to delete to free the space again. */
  public Path fill() throws IOException {
    Path filler = dir.resolve("filler");
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException expected) {
      // "No space left on device": the disk is full
    }
    return filler;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", dir.toString());
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
