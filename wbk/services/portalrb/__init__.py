"""PortalRB: the answers it pulls, proposals and API tokens."""
