"""The refresh's own errors, in a module of their own so every step can raise them without
importing the run (which imports every step)."""


class FetchError(Exception):
    """The upstream could not be reached or answered with an error; worth retrying later."""


class RefreshRefused(Exception):
    """The payload is unsafe to import; the run is recorded as refused."""


class LeaseLost(Exception):
    """Another run took the source's lease over (this one outlived it); this one writes nothing."""
