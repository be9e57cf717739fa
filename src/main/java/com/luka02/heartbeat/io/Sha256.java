package com.luka02.heartbeat.io;

import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 in lower-case hex: a report's content hash and an exported file's checksum.
 *
 * <p>A report's bytes are hashed by the system's own library where it has one (OpenSSL's libcrypto on
 * Linux, CommonCrypto on macOS), which uses the processor's SHA instructions: the JDK's digest uses
 * them only in code compiled by C2, and the catch-up and the agent run the client compiler alone, under
 * which hashing a year's 73 MB took 0.7-0.9 s of CPU against 0.16 s. Without such a library, or if it
 * does not give the JDK's answer for a known text, the JDK's digest is used.
 */
public final class Sha256 {
  private static final Logger log = LoggerFactory.getLogger(Sha256.class);
  /** One digest per thread, reset by each use: a look-up per report was 50-100 ms of a year's catch-up. */
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::digest);

  private Sha256() {}

  public static String of(byte[] bytes) {
    OneShot system = SystemLibrary.ONE_SHOT;
    return HexFormat.of().formatHex(system != null ? system.digest(bytes) : jdk(bytes));
  }

  /**
   * The system's one-shot SHA-256, or null when the JDK's digest is used; loaded at the first report
   * hashed, so that a command that hashes none (a rollover hashes its file as a stream) loads no library.
   */
  private static final class SystemLibrary {
    static final OneShot ONE_SHOT = OneShot.load();
  }

  /** The hash of {@code file}'s content, read as a stream. */
  public static String of(Path file) throws IOException {
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }
  }

  /** Which implementation hashes a report's bytes: {@code libcrypto}, {@code CommonCrypto} or {@code jdk}. */
  public static String implementation() {
    return SystemLibrary.ONE_SHOT != null ? SystemLibrary.ONE_SHOT.name() : "jdk";
  }

  /** The JDK's digest of {@code bytes}, whatever {@link #implementation} is. */
  static byte[] jdk(byte[] bytes) {
    return DIGEST.get().digest(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** A system library's one-shot SHA-256 of a byte array. */
  private interface OneShot {
    byte[] digest(byte[] bytes);

    String name();

    static OneShot load() {
      try {
        OneShot s = Platform.isMac() ? new CommonCrypto() : Platform.isLinux() ? new LibCrypto() : null;
        byte[] known = "heartbeat-ingester".getBytes(StandardCharsets.UTF_8);
        if (s != null && !MessageDigest.isEqual(s.digest(known), Sha256.digest().digest(known))) {
          log.warn("{} gave a wrong SHA-256; using the JDK's", s.name());
          return null;
        }
        return s;
      } catch (LinkageError | RuntimeException e) {
        log.debug("no system SHA-256, using the JDK's: {}", e.toString());
        return null;
      }
    }
  }

  /** OpenSSL's {@code EVP_Digest} with {@code EVP_sha256()}, bound directly by JNA. */
  private static final class LibCrypto implements OneShot {
    private static final Pointer SHA256;

    static {
      NativeLibrary crypto = library();
      com.sun.jna.Native.register(LibCrypto.class, crypto);
      SHA256 = fetched(crypto);
    }

    /**
     * OpenSSL 3's SHA-256 fetched once, or 1.1's {@code EVP_sha256()}. OpenSSL 3 looks the legacy
     * {@code EVP_sha256()} up again at every digest, taking a lock each time: a fifth of hashing a year.
     */
    private static Pointer fetched(NativeLibrary crypto) {
      try {
        Pointer md = crypto.getFunction("EVP_MD_fetch").invokePointer(new Object[] {null, "SHA256", null});
        if (md != null) {
          return md;
        }
      } catch (UnsatisfiedLinkError e) {
        // OpenSSL 1.1: no fetching
      }
      return EVP_sha256();
    }

    /**
     * OpenSSL 3's or 1.1's library by its file name: asked for "crypto", JNA looks for libcrypto.so,
     * which only OpenSSL's development package installs, before it searches for a versioned name.
     */
    private static NativeLibrary library() {
      for (String name : new String[] {"libcrypto.so.3", "libcrypto.so.1.1"}) {
        try {
          return NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError e) {
          // the next one
        }
      }
      return NativeLibrary.getInstance("crypto");
    }

    private static native Pointer EVP_sha256();

    private static native int EVP_Digest(byte[] data, NativeLong count, byte[] md, Pointer size, Pointer type,
        Pointer engine);

    @Override
    public byte[] digest(byte[] bytes) {
      byte[] md = new byte[32];
      if (EVP_Digest(bytes, new NativeLong(bytes.length), md, null, SHA256, null) != 1) {
        return jdk(bytes);
      }
      return md;
    }

    @Override
    public String name() {
      return "libcrypto";
    }
  }

  /** macOS's {@code CC_SHA256}, in the system library every process has. */
  private static final class CommonCrypto implements OneShot {
    static {
      com.sun.jna.Native.register(CommonCrypto.class, NativeLibrary.getInstance("System"));
    }

    private static native Pointer CC_SHA256(byte[] data, int length, byte[] md);

    @Override
    public byte[] digest(byte[] bytes) {
      byte[] md = new byte[32];
      CC_SHA256(bytes, bytes.length, md);
      return md;
    }

    @Override
    public String name() {
      return "CommonCrypto";
    }
  }
}
