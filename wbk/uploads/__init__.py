"""Server-side checks of an uploaded evidence file before anything is stored."""

from wbk.uploads.checks import (
    ALLOWED,
    ALLOWED_EXTENSIONS,
    ALLOWED_LABEL,
    UploadInfo,
    UploadRefused,
    check_upload,
    safe_filename,
)

__all__ = [
    "ALLOWED",
    "ALLOWED_EXTENSIONS",
    "ALLOWED_LABEL",
    "UploadInfo",
    "UploadRefused",
    "check_upload",
    "safe_filename",
]
