"""Hold a process at a known point so a test acts on an event, not on time.

The test opens a ``Hold`` (a listening socket on the loopback) and passes ``hold.env`` to the process
it starts. Code under test, patched to call ``report_and_wait`` at the chosen point, connects, sends
its own label and pid, and waits there until the test closes the connection or the process is
signalled. The test therefore knows that the process is at that point, and which pid it has, before it
acts; the held process's end shows as end-of-file on its connection, so the test waits on that too.

The time limits here are safeguards against a hang, never pass criteria: an event that does not come
within them fails the test with a message naming what was awaited.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

HOLD_ENV = "ICEVIDENCE_TEST_HOLD"  # "host:port" of the test's listening socket
SAFEGUARD_SECONDS = 600.0  # generous: a loaded machine is slow, not wrong
TESTS = Path(__file__).parent


class Held:
    """One held process as the test sees it: its label, its pid and the connection it waits on."""

    def __init__(self, conn: socket.socket, label: str, pid: int) -> None:
        self.conn, self.label, self.pid = conn, label, pid

    def wait_for_end(self, timeout: float = SAFEGUARD_SECONDS) -> bool:
        """Whether the held process ended (its connection reached end-of-file) within the safeguard."""
        self.conn.settimeout(timeout)
        try:
            return self.conn.recv(1) == b""
        except TimeoutError:
            return False
        except ConnectionResetError:  # killed with unread data: ended all the same
            return True


class Hold:
    """The test's side: a listener that held processes report to."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.held: list[Held] = []

    @property
    def env(self) -> dict[str, str]:
        """The environment for the process under test: the test's own plus where to report."""
        host, port = self.server.getsockname()[:2]
        return {**os.environ, HOLD_ENV: f"{host}:{port}"}

    def wait_for(self, label: str, timeout: float = SAFEGUARD_SECONDS) -> Held:
        """Block until a process reports it is held at ``label``; fail with the reason if none does."""
        self.server.settimeout(timeout)
        while not any(held.label == label for held in self.held):
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                raise AssertionError(f"no process reported '{label}' within {timeout:.0f} s (safeguard)") from None
            conn.settimeout(timeout)
            name, pid = read_line(conn).split()
            self.held.append(Held(conn, name, int(pid)))
        return next(held for held in self.held if held.label == label)

    def close(self) -> None:
        """Release every held process still waiting, and stop listening."""
        for held in self.held:
            held.conn.close()
        self.server.close()

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_line(conn: socket.socket) -> str:
    """One line from a connection, read byte by byte so nothing after it is consumed."""
    data = b""
    while not data.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            raise AssertionError(f"a held process closed its connection before reporting (got {data!r})")
        data += byte
    return data.decode()


def report_and_wait(label: str) -> None:
    """In the process under test: tell the test this process (its pid) is at ``label``, then wait for it.

    Does nothing when no test is listening. The wait ends when the test closes the connection, when
    the process is signalled (the signal's handler runs, e.g. raising KeyboardInterrupt), or at the
    safeguard limit.
    """
    address = os.environ.get(HOLD_ENV)
    if not address:
        return
    host, port = address.rsplit(":", 1)
    conn = socket.create_connection((host, int(port)), timeout=SAFEGUARD_SECONDS)
    conn.sendall(f"{label} {os.getpid()}\n".encode())
    try:
        conn.recv(1)
    except OSError:  # the safeguard's timeout, or the test went away: carry on
        pass
    # the connection stays open until the process ends, so the test sees this process's end as EOF
    _OPEN.append(conn)


_OPEN: list[socket.socket] = []


def hold_before(function, label: str):
    """``function`` made to report and wait at ``label`` before it runs (patched in by a test's script)."""
    def held(*args, **kwargs):
        report_and_wait(label)
        return function(*args, **kwargs)
    return held


def held_helper_initializer() -> None:
    """A pool initializer for the import's validation helper: die with the parent as usual, then hold."""
    from icevidence.io.refi_qda import die_with_parent
    die_with_parent()
    report_and_wait("helper")
