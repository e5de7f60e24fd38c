/**
 * The kit's implementation: the checks, the worker process seen from the supervisor's side, and
 * the command line. Not an API; it may change without notice.
 */
package dev.kpool.conformance.internal;
