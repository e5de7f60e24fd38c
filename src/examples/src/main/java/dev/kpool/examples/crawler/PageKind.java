package dev.kpool.examples.crawler;

/** How the site server answers a page. */
public enum PageKind {
  /** 200 at once. */
  OK,
  /** 200 after a delay of tens to hundreds of milliseconds. */
  SLOW,
  /** 500, with no links. */
  ERROR_500,
  /** Accepts the request and never answers, until the client gives up or the server stops. */
  HANG
}
