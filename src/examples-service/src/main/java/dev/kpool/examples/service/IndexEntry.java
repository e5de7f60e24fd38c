package dev.kpool.examples.service;

/** One document as the index stage left it; the shape of the pipeline's last result. */
public record IndexEntry(int id, int terms, int distinct, String top) {}
