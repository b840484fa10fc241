"""Kernel managers: IPC sockets (no port races), and no interrupt sent as part of a shutdown."""
from __future__ import annotations

import asyncio

from jupyter_client.manager import AsyncKernelManager

from icevidence.build.kernels import IPCKernelManager


def test_kernels_talk_over_ipc_sockets_with_unique_names():
    first, second = IPCKernelManager(kernel_name="python3"), IPCKernelManager(kernel_name="python3")
    assert first.transport == second.transport == "ipc" and first.ip != second.ip


def test_no_interrupt_is_sent_while_shutting_down(monkeypatch):
    # jupyter_client interrupts before every shutdown; the kernel then prints "KeyboardInterrupt caught in kernel"
    sent = []

    async def record(self) -> None:
        sent.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", record)
    manager = IPCKernelManager(kernel_name="python3")
    manager.shutting_down = True
    asyncio.run(manager._async_interrupt_kernel())
    manager.shutting_down = False
    asyncio.run(manager._async_interrupt_kernel())
    assert sent == [False]
