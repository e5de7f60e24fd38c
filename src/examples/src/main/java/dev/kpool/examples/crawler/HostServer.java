package dev.kpool.examples.crawler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One logical host of the {@link Site}, served on its own ephemeral port on 127.0.0.1, so that the
 * requests in flight to one host can be counted here, on the server side.
 *
 * <p>A minimal HTTP/1.1 server on plain sockets rather than the JDK's {@code HttpServer}, because a
 * page that never answers must stay "in flight" exactly until the client gives up and closes the
 * connection, and only the socket shows that. Every response closes its connection ({@code
 * Connection: close}), so one connection is one request. A request is in flight from the moment its
 * request line is read until its response is written, or, for a page that never answers, until
 * the client closes the connection. Thread-safe; one thread per open connection.
 */
final class HostServer implements AutoCloseable {
  private final String host;
  private final Site site;
  private final ServerSocket socket;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> fetches = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  HostServer(String host, Site site) throws IOException {
    this.host = host;
    this.site = site;
    this.socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "site-" + host);
              t.setDaemon(true);
              return t;
            });
    connections.execute(this::acceptLoop);
  }

  String host() {
    return host;
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Requests per path (query included) so far, robots.txt among them. */
  Map<String, Long> fetches() {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    fetches.forEach((path, n) -> counts.put(path, n.sum()));
    return counts;
  }

  /** Requests in flight now. */
  int inFlight() {
    return inFlight.get();
  }

  /** The most requests that were in flight at once. */
  int maxInFlight() {
    return maxInFlight.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        open.add(connection);
        connections.execute(() -> serve(connection));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout(
          30_000); // a client that sends half a request does not hold a thread forever
      InputStream in = connection.getInputStream();
      BufferedReader head =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      String requestLine = head.readLine();
      if (requestLine == null) {
        return;
      }
      String[] parts = requestLine.split(" ");
      String path = parts.length > 1 ? parts[1] : "/";
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        fetches.computeIfAbsent(path, p -> new LongAdder()).increment();
        for (String line = head.readLine();
            line != null && !line.isEmpty();
            line = head.readLine()) {
          // headers are not needed: the port names the host
        }
        answer(connection, site.answer(host, path));
      } finally {
        inFlight.decrementAndGet();
      }
    } catch (IOException e) {
      // the client went away mid-request; nothing to answer
    } finally {
      open.remove(connection);
    }
  }

  private static void answer(Socket connection, SiteAnswer answer) throws IOException {
    if (answer.hang()) {
      connection.setSoTimeout(0);
      try {
        // Never answer: wait for the client to give up (end of stream) or the server to close.
        while (connection.getInputStream().read() >= 0) {
          // discard
        }
      } catch (SocketException closed) {
        // the server closed it, or the client reset it
      }
      return;
    }
    if (answer.delayMillis() > 0) {
      try {
        Thread.sleep(answer.delayMillis()); // the slow page's latency, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + answer.status()
            + " "
            + reason(answer.status())
            + "\r\n"
            + "Content-Type: "
            + answer.contentType()
            + "\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "Connection: close\r\n\r\n";
    OutputStream out = connection.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      default -> "Status";
    };
  }

  /** Stops accepting and closes every open connection, releasing the pages that never answer. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket connection : open) {
      try {
        connection.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    connections.shutdownNow();
  }
}
