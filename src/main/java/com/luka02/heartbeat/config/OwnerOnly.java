package com.luka02.heartbeat.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates the agent's folders readable by their owner only (0700), since reports can carry pasted
 * credentials. Folders that exist are left as their owner set them; systems without POSIX
 * permissions get plain folders.
 */
public final class OwnerOnly {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /** Creates {@code dir} and any missing parents; the ones created here are 0700. */
  public static Path createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      return abs;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    if (POSIX) {
      Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(abs);
    }
    return abs;
  }

  /** Makes an existing file readable and writable by its owner only. */
  public static void restrictFile(Path file) throws IOException {
    if (POSIX && Files.isRegularFile(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
