"""Documents out and in: the Word report, the LKE Excel workbook, the evidence binder."""
