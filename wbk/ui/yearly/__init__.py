"""The yearly cycle on screen: the comparison with last year and the carry-over."""
