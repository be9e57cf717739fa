package com.luka02.heartbeat.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs the application in a class loader that hands the DuckDB driver a cached, verified copy of its
 * native library. The driver unpacks the library again whenever it finds it among its resources, and
 * otherwise asks {@code System.loadLibrary}, which asks the class loader's {@link #findLibrary} first:
 * this loader hides the resource and answers with the copy {@link NativeLibraryCache} keeps. The jar
 * and its two commands stay as they were; only where the library is unpacked changes.
 */
final class NativeLibraryLoader extends URLClassLoader {
  /** Set to a folder to keep the copies there (tests); {@code false} leaves the driver to unpack as it does. */
  static final String CACHE_PROPERTY = "heartbeat.nativeCache";
  private static final String DRIVER_LIBRARY = "duckdb_java";
  private static final String RESOURCE_PREFIX = "libduckdb_java.so_";

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final NativeLibraryCache cache;
  /** The check of the copy unpacked before, started ahead of the driver's asking; null when not started. */
  private volatile FutureTask<Path> checked;

  private NativeLibraryLoader(URL[] classPath, NativeLibraryCache cache) {
    super("heartbeat-ingester", classPath, ClassLoader.getPlatformClassLoader());
    this.cache = cache;
  }

  /**
   * Checks the copy unpacked before on a thread of its own, for a command that opens the store: the
   * check reads the whole copy (50 ms of a {@code rollover}'s start, on its critical path when done
   * where the driver asks for the library). Only a copy that exists is checked: a missing or damaged
   * one is unpacked where the driver asks, as before, so that a command that stops early never leaves
   * a half-unpacked library behind.
   */
  private void checkAhead() {
    URL bundled = super.findResource(RESOURCE_PREFIX + platform());
    if (bundled == null) {
      return;
    }
    FutureTask<Path> task = new FutureTask<>(() -> cache.existingCopy(bundled));
    Thread t = new Thread(task, "native-library-check");
    t.setDaemon(true);
    checked = task;
    t.start();
  }

  /** The copy checked ahead, or null when none was checked or it did not match. */
  private Path checkedAhead() {
    FutureTask<Path> task = checked;
    if (task == null) {
      return null;
    }
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null; // looked at again below, where a failure is reported
    }
  }

  /** Runs {@code Main.execute(args)} in this loader and returns its exit code. */
  static int execute(String[] args, PrintStream err) {
    String setting = System.getProperty(CACHE_PROPERTY);
    if ("false".equals(setting)) {
      return Main.execute(args);
    }
    Path dir = setting != null ? Path.of(setting) : NativeLibraryHome.defaultDir().resolveSibling("native");
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (NativeLibraryLoader loader = new NativeLibraryLoader(classPath(), new NativeLibraryCache(dir, err))) {
      String command = Relaunch.subcommand(args);
      if (command != null && (command.equals("run") || Relaunch.STORE_COMMANDS.contains(command))) {
        loader.checkAhead();
      }
      // JDBC's DriverManager and every ServiceLoader look in the context loader.
      Thread.currentThread().setContextClassLoader(loader);
      Class<?> main = loader.loadClass(Main.class.getName());
      return (Integer) main.getMethod("execute", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error x) {
        throw x;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot start in the native-library class loader: " + e, e);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  private static URL[] classPath() throws MalformedURLException {
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    URL[] urls = new URL[entries.length];
    for (int i = 0; i < entries.length; i++) {
      urls[i] = Path.of(entries[i]).toAbsolutePath().toUri().toURL();
    }
    return urls;
  }

  /** The driver's bundled libraries are not resources of this loader: the driver would unpack them. */
  @Override
  public URL findResource(String name) {
    return name.startsWith(RESOURCE_PREFIX) ? null : super.findResource(name);
  }

  @Override
  protected String findLibrary(String name) {
    if (!DRIVER_LIBRARY.equals(name)) {
      return super.findLibrary(name);
    }
    URL bundled = super.findResource(RESOURCE_PREFIX + platform());
    if (bundled == null) {
      return null; // not bundled for this platform: the driver's own search reports it
    }
    try {
      Path copy = checkedAhead();
      return (copy != null ? copy : cache.copyOf(bundled)).toAbsolutePath().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the DuckDB native library from " + bundled + ": " + e.getMessage(), e);
    }
  }

  /** The driver's name for this platform, as in its own loader: osx_universal, linux_amd64, linux_arm64. */
  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).trim();
    String arch = System.getProperty("os.arch").toLowerCase(java.util.Locale.ROOT).trim();
    if (os.startsWith("mac")) {
      return "osx_universal";
    }
    String cpu = arch.equals("x86_64") || arch.equals("amd64") ? "amd64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch;
    return (os.startsWith("windows") ? "windows" : os.startsWith("linux") ? "linux" : os) + "_" + cpu;
  }
}
