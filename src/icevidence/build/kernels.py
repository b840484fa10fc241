"""Kernel managers that talk over IPC sockets, so parallel builds never race for TCP ports."""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager on unique Unix sockets instead of random TCP ports.

    Parallel kernels started with TCP can pick the same free port between probing and
    binding (papermill#511, nbclient#114); socket files with unique names cannot collide.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(Path(tempfile.gettempdir()) / f"icevidence-kernel-{uuid.uuid4().hex}"))
        super().__init__(**kwargs)

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt, except as part of shutting down: jupyter_client interrupts before every shutdown, and the
        kernel then prints 'KeyboardInterrupt caught in kernel' into the build's output for a finished notebook.
        A busy kernel is still ended: the shutdown request is followed by a kill when it does not exit."""
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()
