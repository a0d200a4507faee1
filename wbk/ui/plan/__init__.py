"""Rencana aksi: the plan's widgets and the dashboard's forecast."""
