"""Normal forms of the identifiers the fraud list holds: the store's names for the values of
`chaincut.model` (see `chaincut.model.identifier` for the forms)."""

from chaincut.model.card import normalize_account as account
from chaincut.model.domain import domain, host, parent_domains, url
from chaincut.model.identifier import MAX_LENGTH, normalize, normalize_or_none
from chaincut.model.messenger import normalize_qq as qq
from chaincut.model.messenger import normalize_wechat as wechat
from chaincut.model.phone import normalize_phone as phone

__all__ = [
    "MAX_LENGTH",
    "account",
    "domain",
    "host",
    "normalize",
    "normalize_or_none",
    "parent_domains",
    "phone",
    "qq",
    "url",
    "wechat",
]
