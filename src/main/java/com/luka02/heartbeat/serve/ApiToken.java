package com.luka02.heartbeat.serve;

import com.luka02.heartbeat.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;

/** The optional bearer token of the HTTP API, for machines with several users. */
public final class ApiToken {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final byte[] token;

  private ApiToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The token in {@code file}, or null when no file is configured. The file must be private to its owner. */
  public static ApiToken load(Path file) {
    if (file == null) {
      return null;
    }
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new ConfigException("apiTokenFile " + file + ": expected a regular file holding the token");
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new ConfigException("apiTokenFile " + file + ": expected permissions rw------- (chmod 600), found "
            + PosixFilePermissions.toString(perms));
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.length() < 16) {
        throw new ConfigException("apiTokenFile " + file + ": expected a token of at least 16 characters, found "
            + token.length());
      }
      return new ApiToken(token);
    } catch (IOException e) {
      throw new ConfigException("apiTokenFile " + file + ": cannot read: " + e.getMessage());
    } catch (UnsupportedOperationException e) {
      throw new ConfigException("apiTokenFile " + file + ": cannot check its permissions on this file system");
    }
  }

  /** The value of an {@code Authorization} header that carries this token. */
  public String header() {
    return "Bearer " + new String(token, StandardCharsets.UTF_8);
  }

  /** Whether an {@code Authorization} header carries this token; compared in constant time. */
  boolean accepts(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }
}
