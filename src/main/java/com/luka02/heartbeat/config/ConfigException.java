package com.luka02.heartbeat.config;

/** An invalid setting; the message names the field, the value and the rule. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
