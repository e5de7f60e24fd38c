/**
 * The worker stdio protocol, version 1: length-prefixed JSON frames between a supervisor and a
 * worker process. {@link dev.kpool.protocol.frame.ToWorker} frames travel on the worker's stdin,
 * {@link dev.kpool.protocol.frame.FromWorker} frames on its stdout; stderr is the worker's log. The
 * specification is {@code docs/protocol.md}.
 */
package dev.kpool.protocol.frame;
