package com.luka02.heartbeat.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.luka02.heartbeat.agent.Agent;
import com.luka02.heartbeat.testing.LiveAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent on loopback: its HTTP threads are named apart, and none outlives its stop. */
class HttpThreadsTest {
  @TempDir Path root;

  @Test
  void httpThreadsAreNamed_andAStoppedServerLeavesNoneRunning() throws Exception {
    Set<Thread> before = httpThreads(); // another test's, should one have leaked
    Agent agent = LiveAgent.start(root, "{\"zone\": \"UTC\"}").agent();
    try {
      HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + agent.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode(), res.body());
      List<String> ours = httpThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList();
      assertTrue(!ours.isEmpty() && ours.stream().allMatch(n -> n.matches("heartbeat-http-\\d+.*")), "found " + ours);
    } finally {
      agent.close();
    }
    Set<Thread> after = httpThreads();
    after.removeAll(before);
    assertEquals(Set.of(), after, "the stop waits for its pool");
  }

  private static Set<Thread> httpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("heartbeat-http-"))
        .collect(Collectors.toCollection(HashSet::new));
  }
}
