"""Survey arithmetic: the IKM of PermenPANRB 14/2017, survey instruments as data, and IPAK/IPKP
from raw answers to LKE points."""
