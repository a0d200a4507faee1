"""The PortalRB API, an entry point beside ``ui`` and ``cli``: FastAPI over the services."""

from wbk.api.app import create_app

__all__ = ["create_app"]
