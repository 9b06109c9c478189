"""Early warning and dissuasion (预警劝阻): warn likely victims before they pay.

    from chaincut.warning import Warner, parse_event
    warner = Warner()                       # the shipped model, no directory
    for warning in warner.process(parse_event("call", row)):
        print(warning.to_json())

`chaincut.warning.replay` runs the lake through it in time order; `chaincut.warning.evaluate`
measures the worklist on worlds with ground truth. See docs/warning.md.
"""

from __future__ import annotations

from chaincut.warning.events import Event, EventError, parse_event
from chaincut.warning.scoring import WarningModel, default_model
from chaincut.warning.signals import Directory, RaisedWarning, Warner

__all__ = [
    "Directory",
    "Event",
    "EventError",
    "RaisedWarning",
    "Warner",
    "WarningModel",
    "default_model",
    "parse_event",
]
