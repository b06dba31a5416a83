"""Clean code in the newest syntax: nothing to report."""

type Json = dict[str, "Json"] | list["Json"] | str | int | None


def describe[T](value: T, *, width: int = 10) -> str:
    return f"{type(value).__name__!s:<{width}} {f"{value!r}"}"


def safe[E: Exception](error: E) -> str:
    try:
        raise error
    except KeyError, IndexError:
        return "lookup"
    except Exception:
        return "other"
