/** What becomes of a task record once its run has an outcome: settling, retries and their backoff, and dead letters. */
package dev.kpool.supervisor.fault;
