"""Survey arithmetic: the IKM of PermenPANRB 14/2017, and IPAK/IPKP values to LKE points."""
