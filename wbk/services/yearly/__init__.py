"""The yearly cycle: carry a year's work forward and compare two years."""
