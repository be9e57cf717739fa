package com.luka02.heartbeat.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One agent per root. An OS file lock, released by the kernel when the process dies however it
 * dies, so a {@code kill -9} never leaves the root locked.
 */
final class AgentLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private AgentLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or null when another process holds it. */
  static AgentLock tryAcquire(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        return null;
      }
      return new AgentLock(ch, l);
    } catch (OverlappingFileLockException e) {
      ch.close();
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
