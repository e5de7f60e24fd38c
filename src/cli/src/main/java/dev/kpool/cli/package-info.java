/**
 * The operator CLI, {@code ./kpool <command>}: reads a supervisor's HTTP API (pools, workers, dead
 * letters, drain) and talks to Kafka directly where a client would (submit, cancel). Tables by
 * default, {@code --json} for scripts.
 */
package dev.kpool.cli;
