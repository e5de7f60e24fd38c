package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.process.WorkerCommand;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * What every slot of one pool shares; {@code cancelled} tells whether a task id was cancelled,
 * {@code clock} is the time slots read and {@code launcher} how they get a worker.
 */
record PoolContext(
    String pool,
    PoolConfig config,
    WorkerCommand command,
    FrameCodec codec,
    BlockingDeque<Job> queue,
    Consumer<FromWorker.Submit> followUps,
    PoolStats stats,
    RestartIntensity restarts,
    ExecutorService background,
    IntSupplier idleOrStartingWorkers,
    Predicate<String> cancelled,
    PoolClock clock,
    WorkerLauncher launcher) {}
