"""Dissemination: from the outbox to every partner and subscriber (see docs/dissemination.md).

from bluealert.dispatch import Dispatcher
async with Dispatcher(ctx) as dispatcher:
    await dispatcher.start()     # plan and send, woken by every commit to the outbox
    ...                          # leaving the block stops it between batches
"""

from bluealert.dispatch.engine import Dispatcher, Summary

__all__ = ["Dispatcher", "Summary"]
