"""The API's endpoints, one router per part of PortalRB's guide, in the order they are served
(and listed in the OpenAPI schema)."""

from wbk.api.routes import bukti_dukung, lke, pengusulan

ROUTERS = (pengusulan.router, lke.router, bukti_dukung.router)

__all__ = ["ROUTERS"]
