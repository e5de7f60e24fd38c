"""kpool.Pool against an in-memory Kafka and supervisor: the stdlib's calls and semantics."""

import json
import multiprocessing
import threading

import pytest

import kpool
import kpool_worker
from fake_kafka import FakeBroker, FakeTransport

worker = kpool_worker.Worker()


@worker.task
def square(x):
    return x * x


@worker.task
def add(a, b):
    return a + b


@worker.task
def fail(message):
    raise ValueError(message)


@worker.task
def strict_square(x):
    if x < 0:
        raise kpool_worker.NonRetryableTaskError(ArithmeticError("negative: %d" % x))
    return x * x


@pytest.fixture
def broker():
    return FakeBroker(worker)


def open_pool(broker, client_id=None):
    transport = FakeTransport(broker, client_id or "random")
    return kpool.Pool("squares", client_id=client_id, transport=transport)


def test_map_and_apply_return_what_the_stdlib_returns(broker):
    with open_pool(broker) as pool:
        assert pool.map(square, range(10)) == [x * x for x in range(10)]
        assert pool.map(square, range(10), chunksize=3) == [x * x for x in range(10)]
        assert pool.map("square", []) == []
        assert pool.apply(square, (7,)) == 49
        assert pool.starmap(add, [(1, 2), (3, 4)]) == [3, 7]
        assert pool.apply(add, (2, 3)) == 5
        assert list(pool.imap(square, range(7), chunksize=2)) == [x * x for x in range(7)]
        assert sorted(pool.imap_unordered(square, range(7))) == [x * x for x in range(7)]


def test_task_records_carry_the_java_clients_headers_and_json_values(broker):
    with open_pool(broker) as pool:
        broker.hold = True
        pool.apply_async(square, (3,), key="k1")
        pool.map_async(square, [1, 2, 3], chunksize=2)
        (key, value, headers), chunk = broker.held[0], broker.held[1]
        names = dict((k, v.decode()) for k, v in headers)
        assert key == "k1" and value == b"3"
        assert names["kpool-task"] == "square"
        assert names["kpool-reply-to"] == "kpool.replies." + pool.client_id
        assert names["kpool-attempt"] == "1"
        assert names["kpool-content-type"] == "application/json"
        chunk_headers = dict((k, v.decode()) for k, v in chunk[2])
        assert chunk[1] == b"[1,2]" and chunk_headers["kpool-chunk"] == "2"
        assert chunk_headers["kpool-id"].endswith(":0") and chunk[0] == chunk_headers["kpool-id"]
        broker.release()


def test_callbacks_run_once_each_on_one_client_thread_even_with_duplicate_replies(broker):
    broker.duplicates = True
    seen, threads = [], set()
    done = threading.Event()

    def callback(value):
        seen.append(value)
        threads.add(threading.current_thread().name)
        if len(seen) == 20:
            done.set()

    with open_pool(broker) as pool:
        results = [pool.apply_async(square, (i,), callback=callback) for i in range(20)]
        assert results[5].get(5) == 25 and 25 in seen, "the callback ran before get() returned"
        assert [r.get(5) for r in results] == [i * i for i in range(20)]
        assert done.wait(5)
        pool.close()
        pool.join()
    assert sorted(seen) == [i * i for i in range(20)]
    assert threads == {"kpool-callbacks"}


def test_a_remote_error_reraises_with_its_type_and_traceback(broker):
    with open_pool(broker) as pool:
        with pytest.raises(ValueError) as caught:
            pool.apply(fail, ("bad input",))
        error = caught.value
        assert isinstance(error, kpool.TaskFailedError)
        assert error.remote_type == "ValueError" and str(error) == "bad input"
        assert "Traceback" in error.remote_traceback
        assert isinstance(error.__cause__, kpool.RemoteTraceback)

        errors = []
        result = pool.map_async(strict_square, [1, -2, 3], error_callback=errors.append)
        result.wait(5)
        assert result.ready() and not result.successful()
        assert isinstance(errors[0], ArithmeticError) and "negative: -2" in str(errors[0])


def test_imap_yields_the_good_items_before_a_failure_then_raises(broker):
    with open_pool(broker) as pool:
        it = pool.imap(strict_square, [1, 2, -3, 4])
        assert [next(it), next(it)] == [1, 4]
        with pytest.raises(ArithmeticError):
            next(it)
        assert next(it) == 16


def test_keys_and_deadlines_go_on_the_task_records(broker):
    transport = FakeTransport(broker, "keys")
    with kpool.Pool("squares", task_timeout=30, transport=transport) as pool:
        broker.hold = True
        pool.map_async(square, [1, 2, 3], key=lambda x: "k%d" % (x % 2))
        pool.starmap_async(add, [(1, 2)], key="same")
        assert [key for key, _, _ in broker.held] == ["k1", "k0", "k1", "same"]
        assert all("kpool-deadline" in dict(headers) for _, _, headers in broker.held)
        with pytest.raises(ValueError, match="chunksize=1"):
            pool.map_async(square, [1, 2], chunksize=2, key=str)
        with pytest.raises(ValueError, match="chunksize=1"):
            pool.map_async(square, [1, 2], chunksize=2, key="same")
        broker.release()


def test_timeouts_and_cancellations_raise_their_own_errors():
    timeout = kpool._wire.remote_exception({"id": "t", "status": "TIMEOUT",
                                            "error": {"type": "kpool.TimedOut", "message": "5 s"}})
    cancelled = kpool._wire.remote_exception({"id": "t", "status": "CANCELLED", "error": None})
    assert isinstance(timeout, kpool.TaskTimeoutError) and "5 s" in str(timeout)
    assert isinstance(cancelled, kpool.TaskCancelledError)
    java = kpool._wire.remote_exception({"id": "t", "status": "ERROR", "error": {
        "type": "java.lang.IllegalArgumentException", "message": "bad", "stack": "at X"}})
    assert type(java) is kpool.TaskFailedError and java.remote_type.endswith("IllegalArgumentException")


def test_imap_keeps_at_most_max_in_flight_chunks_out(broker):
    transport = FakeTransport(broker, "window")
    with kpool.Pool("squares", max_in_flight_chunks=2, transport=transport) as pool:
        broker.hold = True
        it = pool.imap(square, range(10))
        threading.Event().wait(0.2)
        assert len(broker.held) == 2
        broker.hold = False
        held, broker.held = broker.held, []
        for _, value, headers in held:
            broker.answer(value, headers)
        assert list(it) == [x * x for x in range(10)]


def test_a_random_id_deletes_its_reply_topic_when_released(broker):
    pool = open_pool(broker)
    topic = "kpool.replies." + pool.client_id
    assert topic in broker.topics
    pool.close()
    pool.join()
    assert topic not in broker.topics


def test_get_times_out_with_the_stdlibs_timeout_error(broker):
    with open_pool(broker) as pool:
        broker.hold = True
        result = pool.apply_async(square, (2,))
        with pytest.raises(multiprocessing.TimeoutError):
            result.get(0.05)
        assert not result.ready()
        with pytest.raises(ValueError):
            result.successful()
        broker.release()
        assert result.get(5) == 4


def test_what_cannot_cross_as_json_or_by_name_raises_a_clear_error(broker):
    with open_pool(broker) as pool:
        with pytest.raises(TypeError, match="lambda"):
            pool.apply(lambda x: x, (1,))
        with pytest.raises(TypeError, match="@kpool_worker.task"):
            pool.apply(len, ("x",))
        with pytest.raises(TypeError, match="JSON, not pickled"):
            pool.apply(square, (object(),))
        with pytest.raises(TypeError, match="keyword"):
            pool.apply(square, (), {"x": 1})


def test_a_closed_pool_refuses_tasks_and_join_waits_for_the_submitted_ones(broker):
    pool = open_pool(broker)
    broker.hold = True
    result = pool.apply_async(square, (5,))
    with pytest.raises(ValueError):
        pool.join()
    pool.close()
    with pytest.raises(kpool.PoolClosedError):
        pool.apply_async(square, (1,))
    threading.Timer(0.1, broker.release).start()
    assert pool.join(5)
    assert result.get(0) == 25


def test_terminate_cancels_what_has_not_finished(broker):
    pool = open_pool(broker)
    broker.hold = True
    result = pool.apply_async(square, (5,))
    pool.terminate()
    with pytest.raises(kpool.TaskCancelledError):
        result.get(5)
    control = broker.records("kpool.control")
    assert json.loads(control[0][1])["taskIds"] == [result.task_id]


def test_a_durable_client_reattaches_to_calls_of_an_earlier_run(broker):
    first = open_pool(broker, client_id="durable")
    broker.hold = True
    single = first.apply_async(square, (6,))
    many = first.map_async(square, range(5), chunksize=2)
    done = first.apply_async(square, (1,))
    first.imap(square, [1])  # not journaled
    threading.Event().wait(0.1)
    broker.held = [h for h in broker.held if not b"[1]" == h[1]]
    broker.hold = False
    broker.answer(*broker.held.pop()[1:])  # only `done` is answered while the first run lives
    assert done.get(5) == 1
    first.terminate()  # a durable client leaves the rest running for the next run
    with pytest.raises(kpool.PoolClosedError):
        single.get(5)
    broker.release()  # their replies arrive while no client runs

    second = open_pool(broker, client_id="durable")
    detached = {d.id: d for d in second.detached_tasks()}
    assert set(detached) == {single.task_id, many.task_id}
    assert detached[many.task_id].kind == "MAP" and detached[many.task_id].ready
    assert second.attach(single.task_id).get(5) == 36
    assert second.attach(many.task_id).get(5) == [x * x for x in range(5)]
    second.close()
    second.join(5)

    third = open_pool(broker, client_id="durable")
    assert third.detached_tasks() == []
    third.terminate()


def test_terminate_fails_an_unfinished_imap_and_cancels_its_tasks(broker):
    pool = open_pool(broker)
    broker.hold = True
    it = pool.imap(square, range(3))
    threading.Event().wait(0.2)
    pool.terminate()
    with pytest.raises(kpool.TaskCancelledError):
        it.next(5)
    control = broker.records("kpool.control")
    assert len(json.loads(control[0][1])["taskIds"]) == 3


def test_join_waits_for_the_results_of_an_imap_submitted_before_close(broker):
    pool = open_pool(broker)
    broker.hold = True
    it = pool.imap_unordered(square, range(3))
    threading.Event().wait(0.2)
    pool.close()
    threading.Timer(0.2, broker.release).start()
    assert pool.join(5)
    assert sorted(it.next(0) for _ in range(3)) == [0, 1, 4]


def test_a_reply_listener_that_stops_for_good_fails_the_open_calls_and_new_ones(broker):
    transport = FakeTransport(broker, "fatal")
    pool = kpool.Pool("squares", transport=transport)
    broker.hold = True
    result = pool.apply_async(square, (5,))

    def fatal(timeout):
        raise RuntimeError("authorization denied (injected)")

    transport.consume = fatal
    with pytest.raises(kpool.KpoolError, match="reply listener"):
        result.get(5)
    with pytest.raises(kpool.KpoolError):
        pool.apply_async(square, (1,))
    pool.terminate()


def test_a_durable_call_failed_by_a_dead_listener_is_offered_to_the_next_run(broker):
    transport = FakeTransport(broker, "durable-fatal")
    first = kpool.Pool("squares", client_id="durable-fatal", transport=transport)
    broker.hold = True
    result = first.apply_async(square, (7,))
    threading.Event().wait(0.3)  # its journal record is read, so the floor can pass it

    def fatal(timeout):
        raise RuntimeError("authorization denied (injected)")

    transport.consume = fatal
    with pytest.raises(kpool.KpoolError):
        result.get(5)
    first.terminate()
    broker.release()

    second = open_pool(broker, client_id="durable-fatal")
    assert [d.id for d in second.detached_tasks()] == [result.task_id]
    assert second.attach(result.task_id).get(5) == 49
    second.close()
    second.join(5)
