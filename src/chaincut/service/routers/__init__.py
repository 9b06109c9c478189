"""One router per resource of the `/v1` API."""
