/** The consumer threads that feed a pool's processes from its task topic: share lanes, the records they hold and the renewal of their locks. */
package dev.kpool.supervisor.lane;
