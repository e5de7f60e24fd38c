"""The crawl task of kpool's crawler example, in Python: the twin of the Java CrawlWorker.

    kpool.pools.crawl.command=python3,-u,src/python/examples/crawl_worker.py
    kpool.pools.crawl.initializer=crawl-init
    kpool.pools.crawl.initializer-args={"endpoints":{"h0.site.test":"127.0.0.1:40123"},"timeoutMillis":2000}
    kpool.pools.crawl.key-concurrency=2

``crawl-init`` receives where each logical host of the site is served (URLs keep their host
names; the crawler connects to 127.0.0.1:<port> from this map, so nothing is resolved through
DNS). ``crawl`` fetches one URL with a time limit, honouring the host's robots.txt (fetched once
per host per process), parses its ``<a href>`` links and submits each new one inside the site as a
follow-up ``crawl`` with key = its host (the pool's per-key limit bounds requests per host) and
id = its normalized URL (the task tree enqueues each URL once). Stdlib only.
"""

import os
import socket
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

# In the repository kpool_worker.py sits one directory up; a deployed worker has it alongside.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from kpool_worker import NonRetryableTaskError, current_task, initializer, run, task  # noqa: E402

USER_AGENT = "kpool-crawler"
TASK = "crawl"

OK = "ok"
HTTP_500 = "http_500"
NOT_FOUND = "not_found"
TIMEOUT = "timeout"
DISALLOWED = "disallowed"
FETCH_ERROR = "fetch_error"

_settings = {}
_robots = {}
# No proxies: the site is on loopback, whatever http_proxy says.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for name, value in attrs:
                if name == "href" and value is not None:
                    self.hrefs.append(value.strip())


def hrefs(html):
    """The href values of the page's <a> tags, as written, in page order."""
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def resolve(base, href):
    """href resolved against base and normalized (lower-case scheme and host, no default port, no
    fragment, empty path as /), or None for what is not an http(s) URL."""
    try:
        parts = urlsplit(urljoin(base, href))
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    default = port is None or (scheme, port) in (("http", 80), ("https", 443))
    netloc = parts.hostname if default else "%s:%d" % (parts.hostname, port)
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def kind_of(status):
    return {200: OK, 500: HTTP_500, 404: NOT_FOUND}.get(status, "http_%d" % status)


def fetch(host, path):
    """GETs path from host's endpoint: (status, body, error kind or None)."""
    url = "http://%s%s" % (_settings["endpoints"][host], path)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _opener.open(request, timeout=_settings["timeoutMillis"] / 1000.0) as response:
            return response.status, response.read().decode("utf-8", "replace"), None
    except urllib.error.HTTPError as e:
        e.close()
        return e.code, "", None
    except urllib.error.URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            return 0, "", TIMEOUT
        return 0, "", FETCH_ERROR
    except (socket.timeout, TimeoutError):
        return 0, "", TIMEOUT
    except OSError:
        return 0, "", FETCH_ERROR


def robots_of(host):
    """The host's rules, fetched once per process; no robots.txt (or an unreadable one) allows all."""
    rules = _robots.get(host)
    if rules is None:
        rules = urllib.robotparser.RobotFileParser()
        status, text, _ = fetch(host, "/robots.txt")
        rules.parse(text.splitlines() if status == 200 else [])
        _robots[host] = rules
    return rules


@initializer("crawl-init")
def crawl_init(settings):
    _settings.clear()
    _settings.update(settings)
    _robots.clear()


@task(TASK)
def crawl(request):
    if not _settings:
        raise NonRetryableTaskError(RuntimeError("the pool has no initializer crawl-init"))
    url, depth = request["url"], request["depth"]
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    if not robots_of(parts.hostname).can_fetch(USER_AGENT, path):
        return page_result(url, 0, depth, 0, DISALLOWED)
    status, body, error = fetch(parts.hostname, path)
    if error is not None or status != 200:
        return page_result(url, status, depth, 0, error or kind_of(status))
    found = hrefs(body)
    if depth < request["maxDepth"]:
        seen = set()
        for href in found:
            link = resolve(url, href)
            if (link is None or link in seen or link == request["seed"] or link == url
                    or urlsplit(link).hostname not in _settings["endpoints"]):
                continue
            seen.add(link)
            current_task().submit(TASK, dict(request, url=link, depth=depth + 1),
                                  key=urlsplit(link).hostname, id=link)
    return page_result(url, 200, depth, len(found), None)


def page_result(url, status, depth, links, error):
    return {"url": url, "status": status, "depth": depth, "links": links, "error": error}


if __name__ == "__main__":
    run()
