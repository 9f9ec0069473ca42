"""Problems the API layer itself reports (authentication, malformed requests)."""

from __future__ import annotations


class ApiProblem(Exception):
    """An HTTP-level refusal with a stable code and a message for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
