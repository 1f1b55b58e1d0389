"""Keep None, True and False alive under PySide6 6.12 on CPython 3.11.

PySide6 6.12.0 drops one reference to None on every Qt call that returns nothing (1,000
`QLabel.setText` calls take 1,000 off None's count; 6.11 does not). On Python 3.12+ None, True
and False are immortal and nothing happens; on 3.11 the count reaches zero within a long
session and the process aborts with "none_dealloc". We can't move to PySide6 6.11 (QtPdf ships
as its own wheel only from 6.12), so give 3.11 what 3.12 has: a count that cannot reach zero.
"""

from __future__ import annotations

import ctypes
import sys

# Far more than any session makes Qt calls, far below Py_ssize_t's limit.
_HEADROOM = 1 << 48


def make_singletons_immortal() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _HEADROOM:
            count.value += _HEADROOM
