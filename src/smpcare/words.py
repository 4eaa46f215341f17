"""English for messages: one helper, so that no message says "1 days"."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``one`` for a count of exactly 1, otherwise ``many`` (by default ``one`` + "s").

    Verbs agree too: ``plural(n, "gives", "give")``.
    """
    if count == 1:
        return one
    return many if many is not None else one + "s"
