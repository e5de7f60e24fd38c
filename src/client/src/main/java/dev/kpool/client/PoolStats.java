package dev.kpool.client;

/**
 * A snapshot of one pool handle's counters, for monitoring and tests.
 *
 * @param submitted task records sent (a chunk counts once)
 * @param settled task records whose outcome has arrived or was decided locally
 * @param inFlight task records outstanding now, plus re-attached tasks not yet settled
 * @param peakInFlight the largest {@code inFlight} seen; never above {@link
 *     Pool.Builder#maxInFlight(int)} for submitted tasks
 * @param repliesRead reply records this handle read from its reply topic
 * @param repliesIgnored of those, the ones nobody waited for: duplicates, and replies of tasks that
 *     were cancelled or settled earlier
 */
public record PoolStats(
    long submitted,
    long settled,
    int inFlight,
    int peakInFlight,
    long repliesRead,
    long repliesIgnored) {}
