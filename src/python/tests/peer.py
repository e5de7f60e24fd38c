"""The supervisor's end of a worker's pipes, for tests: writes frames to its stdin and collects
the frames of its stdout on a thread, so that every wait has a bound."""

import json
import os
import queue
import subprocess
import sys
import threading
import time

TIMEOUT = 10.0
END = {"type": "<end of stream>"}
HERE = os.path.dirname(os.path.abspath(__file__))


class Peer:
    def __init__(self, script, log_path):
        self._log = open(log_path, "wb")
        self.log_path = log_path
        self.process = subprocess.Popen([sys.executable, script], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._log)
        self._frames = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.process.stdout
        while True:
            header = out.read(4)
            if len(header) < 4:
                if header:
                    self._frames.put({"type": "<broken>", "why": "stream ended in a header"})
                break
            length = int.from_bytes(header, "big")
            if length > 16 * 1024 * 1024:
                self._frames.put({"type": "<broken>", "why": "length %d: %r" % (length, header)})
                break
            body = out.read(length)
            try:
                self._frames.put(json.loads(body.decode("utf-8")))
            except ValueError as e:
                self._frames.put({"type": "<broken>", "why": str(e)})
                break
        self._frames.put(END)

    def send(self, frame):
        self.send_raw(_frame_bytes(frame))

    def send_raw(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def hello(self, heartbeat_millis=60000, max_frame_bytes=1 << 20):
        self.send({"type": "hello", "version": 1, "pool": "test-pool", "worker": "w1",
                   "maxFrameBytes": max_frame_bytes, "heartbeatMillis": heartbeat_millis})
        return self.next("hello")

    def task(self, task_id, name, *items, content_type="application/json"):
        self.send({"type": "task", "id": task_id, "task": name, "contentType": content_type,
                   "items": list(items), "attempt": 1, "deadline": 0})

    def next(self, kind=None, timeout=TIMEOUT):
        try:
            frame = self._frames.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no frame from the worker within %s s" % timeout)
        if frame is END:
            raise AssertionError("the worker's frame stream ended; log:\n" + self.log())
        if frame["type"] == "<broken>":
            raise AssertionError("the worker broke the framing: " + frame["why"])
        if kind is not None and frame["type"] != kind:
            raise AssertionError("expected a %s frame, got %r" % (kind, frame))
        return frame

    def next_result(self, timeout=TIMEOUT):
        """The next result, skipping heartbeats, within one overall bound."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.next(timeout=max(0.0, deadline - time.monotonic()))
            if frame["type"] != "heartbeat":
                if frame["type"] != "result":
                    raise AssertionError("expected a result frame, got %r" % (frame,))
                return frame

    def close_stdin(self):
        self.process.stdin.close()

    def exit_code(self, timeout=TIMEOUT):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("the worker did not exit within %s s" % timeout)

    def rest(self, timeout=TIMEOUT):
        """The frames not yet taken, up to the end of the stream."""
        frames = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                frame = self._frames.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("the frame stream did not end within %s s" % timeout)
            if frame is END:
                return frames
            frames.append(frame)

    def log(self):
        self._log.flush()
        with open(self.log_path, "r", encoding="utf-8", errors="replace") as f:
            return f.read()

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._log.close()


def _frame_bytes(frame):
    body = json.dumps(frame).encode("utf-8")
    return len(body).to_bytes(4, "big") + body


def wait_until(condition, timeout=TIMEOUT, what="condition"):
    """Polls condition() until it is true, failing after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("%s not met within %s s" % (what, timeout))
        time.sleep(0.01)
