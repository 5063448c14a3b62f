"""Counting requests per key in a time window, in Django's cache (e.g. password-reset e-mails per
address). A cache that loses a count errs on the side of letting a request through."""

from django.core.cache import cache


def throttle_allows(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more request for `key`; False once more than `limit` came within the window
    that began with the first of them."""
    cache_key = f"throttle:{key}"
    if cache.add(cache_key, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this request starts a new window
        cache.add(cache_key, 1, timeout=seconds)
        return True
    return count <= limit
