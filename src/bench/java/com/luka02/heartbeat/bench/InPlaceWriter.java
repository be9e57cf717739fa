package com.luka02.heartbeat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/** Writes reports on schedule; each in place, in two chunks, as a slow single write would land. */
final class InPlaceWriter implements AutoCloseable {
  static final Duration CHUNK_PAUSE = Duration.ofMillis(50);

  /** A report to write: where, and its bytes. */
  record Report(Path file, byte[] bytes) {}

  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "bench-writer");
    t.setDaemon(true);
    return t;
  });
  final AtomicLong written = new AtomicLong();
  final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** Starts {@code r} at {@code atNanos}; {@code done} gets the nanoTime of its last write. */
  void schedule(long atNanos, Report r, LongConsumer done) {
    pool.schedule(() -> {
      try {
        FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        int half = r.bytes().length / 2;
        writeFully(ch, ByteBuffer.wrap(r.bytes(), 0, half));
        pool.schedule(() -> finish(ch, r, half, done), CHUNK_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void finish(FileChannel ch, Report r, int half, LongConsumer done) {
    try (ch) {
      writeFully(ch, ByteBuffer.wrap(r.bytes(), half, r.bytes().length - half));
      long last = System.nanoTime();
      written.incrementAndGet();
      done.accept(last);
    } catch (IOException | RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  void check() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("writing a report failed: " + t, t);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
