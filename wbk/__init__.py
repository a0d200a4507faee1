"""wbk: a Zona Integritas (WBK/WBBM) evidence tracker and LKE ZI scoring engine."""

__version__ = "0.1.0"
