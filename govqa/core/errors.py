"""One error hierarchy for the whole service; edges map these to exit codes and HTTP statuses."""

from __future__ import annotations


class GovQAError(Exception):
    """Base class of every error the service raises on purpose."""

    exit_code = 1
    http_status = 500


class ConfigError(GovQAError):
    """Settings are invalid or point at something that does not exist."""

    exit_code = 78
    http_status = 500


class ModelUnavailableError(GovQAError):
    """A model could not be found, assembled, verified or loaded."""

    exit_code = 69
    http_status = 503


class ModelEndpointError(ModelUnavailableError):
    """A model served over HTTP (embeddings or chat) failed: unreachable, too slow, overloaded or
    answering with an error; the message names the endpoint and what to check."""


class CircuitOpenError(ModelEndpointError):
    """A model endpoint failed repeatedly and is not called again until `retry_after` seconds pass."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotIndexedError(GovQAError):
    """A question arrived before any document was ingested."""

    exit_code = 66
    http_status = 409


class IndexMismatchError(GovQAError):
    """A saved index was built with another embedder or chunker than the configured one."""

    exit_code = 65
    http_status = 500


class InvalidInputError(GovQAError):
    """A question, request or document was rejected because of its content."""

    exit_code = 64
    http_status = 422


class TooLargeError(InvalidInputError):
    """A request or document was rejected because it is larger than the configured limit."""

    http_status = 413


class LoadError(GovQAError):
    """A source file could not be read or parsed into a document."""

    exit_code = 65
    http_status = 422


class SessionNotFoundError(GovQAError):
    """A session id was given that the store does not know."""

    exit_code = 64
    http_status = 404


class NotFoundError(GovQAError):
    """A document, service item or other record was asked for by an id the index does not hold."""

    exit_code = 64
    http_status = 404


class BusyError(GovQAError):
    """The answer generator's queue is full; the request may be retried after `retry_after` seconds."""

    exit_code = 75  # EX_TEMPFAIL
    http_status = 503

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnknownModelError(GovQAError):
    """An OpenAI-compatible request named a model this service does not serve."""

    exit_code = 64
    http_status = 404


class StorageError(GovQAError):
    """A new index generation could not be written (disk full, file size limit); the live one is unchanged."""

    exit_code = 74  # EX_IOERR
    http_status = 507  # Insufficient Storage
