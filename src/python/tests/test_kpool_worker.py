"""Unit tests of kpool_worker: a worker process driven over its real pipes, plus registration."""

import ast
import base64
import os
import shutil
import sys
import tempfile
import unittest

from peer import HERE, Peer, wait_until

sys.path.insert(0, os.path.join(HERE, os.pardir))
import kpool_worker  # noqa: E402

FIXTURE = os.path.join(HERE, "fixture_worker.py")
EXAMPLE = os.path.join(HERE, os.pardir, "examples", "square_worker.py")
MODULE = os.path.join(HERE, os.pardir, "kpool_worker.py")


class WorkerProcessTest(unittest.TestCase):
    """Each test starts a fixture worker process and speaks the protocol to it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kpool-worker-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def start(self, script=FIXTURE, heartbeat_millis=60000, max_frame_bytes=1 << 20, hello=True):
        peer = Peer(script, os.path.join(self.dir, "worker.log"))
        self.addCleanup(peer.close)
        if hello:
            peer.hello(heartbeat_millis, max_frame_bytes)
        return peer

    def test_hello_answer_lists_task_names_and_pid(self):
        peer = self.start(hello=False)
        answer = peer.hello()
        self.assertEqual(1, answer["version"])
        self.assertEqual(peer.process.pid, answer["pid"])
        self.assertEqual("python", answer["language"])
        self.assertIn("square", answer["tasks"])
        self.assertIn("echo-bytes", answer["tasks"])
        self.assertNotIn("load", answer["tasks"], "initializers are not task names")
        self.assertEqual(answer["tasks"][:2], ["square", "echo"], "registration order")

    def test_squares_seven(self):
        peer = self.start()
        peer.task("t1", "square", 7)
        self.assertEqual({"type": "result", "id": "t1", "results": [49], "error": None},
                         peer.next_result())

    def test_text_without_a_utf8_form_is_escaped_not_fatal(self):
        peer = self.start()
        peer.task("t1", "echo", "lone \ud800 surrogate, \u00e9t\u00e9 \u2713")
        self.assertEqual(["lone \ud800 surrogate, \u00e9t\u00e9 \u2713"],
                         peer.next_result()["results"])

    def test_example_worker_serves_the_multiprocessing_square(self):
        peer = self.start(EXAMPLE)
        peer.send({"type": "task", "id": "c1", "task": "square", "items": [1, 2, 3]})
        self.assertEqual([1, 4, 9], peer.next_result()["results"])
        peer.task("t2", "add", [2, 3])
        self.assertEqual([5], peer.next_result()["results"])
        peer.task("t3", "pid", None)
        self.assertEqual([peer.process.pid], peer.next_result()["results"])
        peer.task("t4", "fail", "bad")
        error = peer.next_result()["error"]
        self.assertEqual(("ValueError", "bad", False),
                         (error["type"], error["message"], error["retryable"]))

    def test_chunk_stops_at_the_first_failing_item_and_reports_its_index(self):
        peer = self.start()
        peer.task("c1", "fail-on-3", 0, 1, 2, 3, 4)
        result = peer.next_result()
        self.assertEqual([0, 1, 2], result["results"])
        error = result["error"]
        self.assertEqual(3, error["index"])
        self.assertEqual("ZeroDivisionError", error["type"])
        self.assertEqual("three", error["message"])
        self.assertTrue(error["retryable"], "ordinary exceptions are left to the retry policy")
        self.assertIn("fail_on_3", error["stack"])
        self.assertIn("ZeroDivisionError: three", error["stack"])

    def test_empty_chunk_has_no_results_and_no_error(self):
        peer = self.start()
        peer.task("c1", "square")
        self.assertEqual(([], None), _outcome(peer.next_result()))

    def test_unknown_task_is_reported_and_the_worker_keeps_serving(self):
        peer = self.start()
        peer.task("t1", "os.system", "rm -rf /")
        result = peer.next_result()
        self.assertEqual([], result["results"])
        error = result["error"]
        self.assertEqual(("kpool.UnknownTask", False, "", 0),
                         (error["type"], error["retryable"], error["stack"], error["index"]))
        self.assertIn("'os.system'", error["message"])
        peer.task("t2", "square", 3)
        self.assertEqual([9], peer.next_result()["results"])

    def test_custom_exception_reports_its_class_name(self):
        peer = self.start()
        peer.task("t1", "custom", "mine")
        error = peer.next_result()["error"]
        self.assertEqual(("CustomError", "mine", True),
                         (error["type"], error["message"], error["retryable"]))

    def test_wrappers_set_retryability_and_report_the_cause_type(self):
        peer = self.start()
        cases = {
            "cause": ("KeyError", "'missing'", False),
            "from": ("ValueError", "not a number", False),
            "plain": ("kpool_worker.NonRetryableTaskError", "no cause", False),
            "retryable": ("kpool_worker.RetryableTaskError", "try again later", True),
        }
        for how, expected in cases.items():
            peer.task("t-" + how, "refuse", how)
            error = peer.next_result()["error"]
            self.assertEqual(expected, (error["type"], error["message"], error["retryable"]), how)

    def test_result_that_is_not_json_fails_without_retry(self):
        peer = self.start()
        for kind, cause in (("object", "TypeError"), ("nan", "ValueError")):
            peer.task("t-" + kind, "not-json", kind)
            error = peer.next_result()["error"]
            self.assertEqual((cause, False), (error["type"], error["retryable"]), kind)
            self.assertIn("cannot be written as JSON", error["message"])

    def test_bytes_task_round_trips_as_base64(self):
        peer = self.start()
        payload = base64.b64encode(bytes(range(256))).decode("ascii")
        peer.task("b1", "echo-bytes", payload, content_type="application/octet-stream")
        self.assertEqual(([payload], None), _outcome(peer.next_result()))
        peer.task("b2", "echo-bytes", payload)  # base64 under application/json is accepted too
        self.assertEqual(([payload], None), _outcome(peer.next_result()))
        peer.task("b3", "echo-bytes", None)
        self.assertEqual(([None], None), _outcome(peer.next_result()))

    def test_bad_bytes_and_wrong_content_types_are_bad_arguments(self):
        peer = self.start()
        cases = [("echo-bytes", "not base64!", "application/octet-stream"),
                 ("echo-bytes", 7, "application/octet-stream"),
                 ("square", base64.b64encode(b"7").decode(), "application/octet-stream"),
                 ("square", 7, "text/plain")]
        for i, (name, item, content_type) in enumerate(cases):
            peer.task("t%d" % i, name, item, content_type=content_type)
            error = peer.next_result()["error"]
            self.assertEqual(("kpool.BadArgument", False), (error["type"], error["retryable"]),
                             cases[i])
            self.assertIn("'%s'" % name, error["message"])

    def test_bytes_task_returning_text_fails_without_retry(self):
        peer = self.start()
        peer.task("t1", "bytes-wrong", "AA==", content_type="application/octet-stream")
        error = peer.next_result()["error"]
        self.assertEqual(("TypeError", False), (error["type"], error["retryable"]))

    def test_initializer_runs_and_its_failure_is_reported(self):
        peer = self.start()
        peer.send({"type": "init", "id": "i1", "task": "load", "args": {"model": "v2"}})
        self.assertEqual({"type": "result", "id": "i1", "results": [], "error": None},
                         peer.next_result())
        peer.task("t1", "loaded", None)
        self.assertEqual([{"model": "v2"}], peer.next_result()["results"])
        peer.send({"type": "init", "id": "i2", "task": "broken-init", "args": "x"})
        error = peer.next_result()["error"]
        self.assertEqual(("RuntimeError", "no model here"), (error["type"], error["message"]))
        peer.send({"type": "init", "id": "i3", "task": "square", "args": 1})
        self.assertEqual("kpool.UnknownTask", peer.next_result()["error"]["type"])

    def test_heartbeats_arrive_while_a_slow_task_runs_and_stop_with_its_result(self):
        peer = self.start(heartbeat_millis=100)
        peer.task("slow", "sleep", 500)
        frames = []
        while not frames or frames[-1]["type"] != "result":
            frames.append(peer.next())
        beats = [f for f in frames if f["type"] == "heartbeat"]
        self.assertGreaterEqual(len(beats), 3, frames)
        self.assertTrue(all(f["id"] == "slow" for f in beats), frames)
        peer.task("t2", "square", 2)
        self.assertEqual({"type": "result", "id": "t2", "results": [4], "error": None},
                         peer.next(), "no heartbeat of a finished task")

    def test_task_submits_follow_ups_before_its_result(self):
        peer = self.start()
        peer.task("parent", "fan-out", 3)
        self.assertEqual({"type": "submit", "parent": "parent", "pool": None, "task": "square",
                          "args": 0, "key": None, "id": None}, peer.next())
        second = peer.next("submit")
        self.assertEqual(("other-pool", "key-1", 1),
                         (second["pool"], second["key"], second["args"]))
        third = peer.next("submit")
        self.assertEqual(("host-a", "http://host-a/p/2"), (third["key"], third["id"]))
        self.assertEqual(["parent"], peer.next("result")["results"])

    def test_submit_after_the_task_returned_or_of_non_json_args_fails(self):
        peer = self.start()
        peer.task("t1", "keep-context", None)
        peer.next_result()
        peer.task("t2", "late-submit", None)
        self.assertEqual("RuntimeError", peer.next_result()["error"]["type"])
        peer.task("t3", "submit-unserializable", None)
        self.assertEqual("TypeError", peer.next_result()["error"]["type"])

    def test_context_carries_the_task_and_session_names(self):
        peer = self.start()
        peer.send({"type": "task", "id": "t1", "task": "context", "items": [None], "attempt": 2,
                   "deadline": 1700000000000})
        self.assertEqual([{"id": "t1", "attempt": 2, "deadline": 1700000000.0,
                           "pool": "test-pool", "worker": "w1"}], peer.next_result()["results"])

    def test_result_over_the_frame_limit_keeps_the_prefix_that_fits(self):
        peer = self.start(max_frame_bytes=4096)
        peer.task("t1", "big", 10, 10000, 1)
        result = peer.next_result()
        self.assertEqual(["x" * 10], result["results"])
        error = result["error"]
        self.assertEqual(("kpool.ResultTooLarge", 1, False),
                         (error["type"], error["index"], error["retryable"]))
        peer.task("t2", "big", 4090)  # a single item too large: no results, index 0
        result = peer.next_result()
        self.assertEqual(([], 0), (result["results"], result["error"]["index"]))
        peer.task("t3", "square", 2)
        self.assertEqual([4], peer.next_result()["results"])

    def test_prints_and_child_processes_do_not_touch_the_frame_stream(self):
        peer = self.start()
        peer.task("t1", "noisy", "abc")
        self.assertEqual(["abc"], peer.next_result()["results"])
        for line in ("printed by the task: abc", "written to fd 1: abc", "child says: abc"):
            wait_until(lambda: line in peer.log(), what="log line " + line)

    def test_task_reads_an_empty_stdin(self):
        peer = self.start()
        peer.task("t1", "read-stdin", None)
        peer.task("t2", "square", 5)
        self.assertEqual([""], peer.next_result()["results"])
        self.assertEqual([25], peer.next_result()["results"])

    def test_frames_received_early_run_in_order(self):
        peer = self.start()
        peer.task("t1", "sleep", 100)
        peer.task("t2", "square", 2)
        peer.task("t3", "square", 3)
        self.assertEqual(["t1", "t2", "t3"], [peer.next_result()["id"] for _ in range(3)])

    def test_shutdown_finishes_the_current_task_then_exits_zero(self):
        peer = self.start(heartbeat_millis=50)
        release = os.path.join(self.dir, "release")
        peer.task("t1", "wait-for-file", release)
        self.assertEqual("t1", peer.next("heartbeat")["id"])
        peer.send({"type": "shutdown"})
        peer.task("t2", "square", 2)
        self.assertIsNone(peer.process.poll(), "shutdown waits for the running task")
        open(release, "w").close()
        self.assertEqual(["released"], peer.next_result()["results"])
        self.assertEqual(0, peer.exit_code())
        self.assertEqual([], peer.rest(), "no frame after the last result")

    def test_end_of_stdin_exits_at_once_even_while_a_task_hangs(self):
        peer = self.start(heartbeat_millis=50)
        peer.task("t1", "hang", None)
        self.assertEqual("t1", peer.next("heartbeat")["id"])
        peer.close_stdin()
        self.assertEqual(0, peer.exit_code(timeout=5))

    def test_end_of_stdin_before_hello_exits_zero(self):
        peer = self.start(hello=False)
        peer.close_stdin()
        self.assertEqual(0, peer.exit_code())
        self.assertEqual([], peer.rest())

    def test_version_mismatch_exits_three_without_answering(self):
        peer = self.start(hello=False)
        peer.send({"type": "hello", "version": 2, "pool": "p", "worker": "w1",
                   "maxFrameBytes": 1 << 20, "heartbeatMillis": 0})
        self.assertEqual(3, peer.exit_code())
        self.assertEqual([], peer.rest())
        self.assertIn("version 2", peer.log())

    def test_malformed_streams_exit_two(self):
        cases = {
            "text": lambda p: p.send_raw(b"this is not a frame\n"),
            "second hello": lambda p: p.hello(),
            "unknown type": lambda p: p.send({"type": "launch"}),
            "invalid json": lambda p: p.send_raw(b"\x00\x00\x00\x03{x}"),
            "items not an array": lambda p: p.send({"type": "task", "id": "t", "task": "square",
                                                    "items": 7}),
        }
        for name, breaker in cases.items():
            with self.subTest(name):
                peer = self.start()
                try:
                    breaker(peer)
                except AssertionError:
                    pass  # the second hello is never answered
                self.assertEqual(2, peer.exit_code(), name)

    def test_bad_handshakes_exit_two(self):
        for first in ({"type": "task", "id": "t", "task": "square", "items": [1]},
                      {"type": "hello", "version": 1, "maxFrameBytes": 1000}):
            with self.subTest(first["type"]):
                peer = self.start(hello=False)
                peer.send(first)
                self.assertEqual(2, peer.exit_code())
                self.assertEqual([], peer.rest())

    def test_fatal_error_in_a_task_is_reported_then_exits_one(self):
        peer = self.start()
        peer.task("t1", "exit", 5)
        error = peer.next_result()["error"]
        self.assertEqual("SystemExit", error["type"])
        self.assertEqual(1, peer.exit_code())


class RegistrationTest(unittest.TestCase):
    def test_decorator_forms_register_under_the_function_or_given_name(self):
        worker = kpool_worker.Worker()

        @worker.task
        def square(x):
            return x * x

        @worker.task("cube")
        def third_power(x):
            return x ** 3

        @worker.bytes_task(name="raw")
        def raw(data):
            return data

        @worker.initializer
        def setup(arg):
            pass

        self.assertEqual(["square", "cube", "raw"], worker.task_names)
        self.assertEqual(4, square(2), "the decorator returns the function itself")
        self.assertEqual("cube", third_power.__kpool_task__, "marked with its task name")

    def test_a_function_of_several_arguments_takes_an_array_item_spread(self):
        worker = kpool_worker.Worker()

        @worker.task
        def add(a, b, scale=1):
            return (a + b) * scale

        @worker.task
        def first(pair):
            return pair[0]

        handlers = worker._tasks
        self.assertEqual(b"5", handlers["add"].call([2, 3], None))
        self.assertEqual(b"2", handlers["first"].call([2, 3], None), "one parameter: the list")

    def test_a_name_is_registered_once_and_must_not_be_blank(self):
        worker = kpool_worker.Worker()
        worker.task("square")(abs)
        with self.assertRaises(ValueError):
            worker.initializer("square")(abs)
        with self.assertRaises(ValueError):
            worker.task(" ")(abs)

    def test_run_needs_a_task(self):
        with self.assertRaises(RuntimeError):
            kpool_worker.Worker().run()

    def test_current_task_outside_a_task_raises(self):
        with self.assertRaises(RuntimeError):
            kpool_worker.current_task()

    def test_module_parses_as_python_3_8(self):
        with open(MODULE, encoding="utf-8") as f:
            ast.parse(f.read(), feature_version=(3, 8))


def _outcome(result):
    return result["results"], result["error"]


class _SummarySuite(unittest.TestSuite):
    """Prints one closing line after this module's tests, for CI logs."""

    def run(self, result, debug=False):
        outcome = super().run(result, debug)
        sys.stderr.write("\nkpool-python worker SDK tests: %d run, %d failures, %d errors, %d skipped\n"
                         % (result.testsRun, len(result.failures), len(result.errors),
                            len(result.skipped)))
        return outcome


def load_tests(loader, standard_tests, pattern):
    return _SummarySuite([standard_tests])


if __name__ == "__main__":
    unittest.main()
