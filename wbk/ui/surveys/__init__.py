"""The Survei page's parts and the public counter form."""
