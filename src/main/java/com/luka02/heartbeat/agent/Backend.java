package com.luka02.heartbeat.agent;

import com.luka02.heartbeat.serve.AgentApi;

/** What the CLI asks of the store: of a running agent over loopback, or of the store opened directly. */
public interface Backend extends AgentApi, AutoCloseable {
  @Override
  StatusReport status();

  @Override
  void close();
}
