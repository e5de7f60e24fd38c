package dev.kpool.examples.crawler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a {@link Site} on 127.0.0.1: one {@link HostServer} per logical host, each on its own
 * ephemeral port. URLs keep their logical host names ({@code http://h3.site.test/p/17}); a crawler
 * connects to {@code 127.0.0.1:<port of h3.site.test>} from the {@link #endpoints()} map it is
 * given, so no name is ever resolved through DNS. Counts what it served, for the crawl's checks.
 */
public final class SiteServer implements AutoCloseable {
  private final Site site;
  private final Map<String, HostServer> servers = new LinkedHashMap<>();

  private SiteServer(Site site) {
    this.site = site;
  }

  /**
   * Starts serving {@code site}.
   *
   * @throws IOException if a port cannot be bound
   */
  public static SiteServer start(Site site) throws IOException {
    SiteServer server = new SiteServer(site);
    try {
      for (String host : site.hosts()) {
        server.servers.put(host, new HostServer(host, site));
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public Site site() {
    return site;
  }

  /** Each logical host name with the {@code 127.0.0.1:port} that serves it. */
  public Map<String, String> endpoints() {
    Map<String, String> endpoints = new LinkedHashMap<>();
    servers.forEach((host, server) -> endpoints.put(host, "127.0.0.1:" + server.port()));
    return endpoints;
  }

  /** Requests served per URL (e.g. {@code http://h1.site.test/p/9}), robots.txt excluded. */
  public Map<String, Long> pageFetches() {
    Map<String, Long> all = new LinkedHashMap<>();
    servers.forEach(
        (host, server) ->
            server
                .fetches()
                .forEach(
                    (path, n) -> {
                      if (!path.equals("/robots.txt")) {
                        all.put("http://" + host + path, n);
                      }
                    }));
    return all;
  }

  /** Requests for {@code host}'s robots.txt. */
  public long robotsFetches(String host) {
    return servers.get(host).fetches().getOrDefault("/robots.txt", 0L);
  }

  /** Requests in flight now, to all hosts. */
  public int inFlight() {
    return servers.values().stream().mapToInt(HostServer::inFlight).sum();
  }

  /** Per host, the most requests (robots.txt included) it had in flight at once. */
  public Map<String, Integer> maxInFlight() {
    Map<String, Integer> max = new LinkedHashMap<>();
    servers.forEach((host, server) -> max.put(host, server.maxInFlight()));
    return max;
  }

  /** Closes every host's port and open connection. */
  @Override
  public void close() {
    List<HostServer> all = new ArrayList<>(servers.values());
    all.forEach(HostServer::close);
  }
}
