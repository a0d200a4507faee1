"""The API's response bodies, with the field names of PortalRB's guide (pydantic models feed
the OpenAPI schema at /openapi.json)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from wbk.catalog.contract import PORTALRB_KATEGORI

# The guide types every answer field as a string or null: a count "12", an index "3.62"
Jawaban = str | None


class UnitProposed(BaseModel):
    id: str = Field(description="Kode unit di wbk")
    nama: str = Field(description="Nama unit")
    kategori: Literal[PORTALRB_KATEGORI]  # WBK, WBK-AFIRMASI, WBBM
    afirmasi: bool


class UnitList(BaseModel):
    tahun: int = Field(description="Tahun evaluasi")
    units: list[UnitProposed]


class SoalAnswer(BaseModel):
    soal_id: int = Field(ge=1, description="Nomor soal PortalRB")
    jawaban_unit: Jawaban = Field(
        description='Pilihan (A..E, Ya/Tidak), jumlah ("12") atau indeks survei ("3.62"), '
        "selalu sebagai teks"
    )
    jawaban_tpi: Jawaban = Field(description="Jawaban TPI, dalam bentuk yang sama")
    catatan_unit: str | None = Field(description="Penjelasan unit")
    bukti_dukung_unit: str | None = Field(
        description="Tautan bertanda tangan ke daftar data dukung soal ini"
    )
    catatan_tpi: str | None


class UnitAnswers(BaseModel):
    unit_id: str
    nama_unit: str
    tahun: int
    answers: list[SoalAnswer]


class EvidenceFile(BaseModel):
    judul: str
    jenis: Literal["file", "link"]
    nama_berkas: str | None
    tanggal_dokumen: date | None
    diunggah: datetime | None
    sha256: str | None
    ukuran: int | None
    tipe: str | None
    url: str


class EvidencePage(BaseModel):
    unit_id: str
    nama_unit: str
    tahun: int
    kode: str
    pertanyaan: str
    berlaku_sampai: datetime
    berkas: list[EvidenceFile]


class ErrorBody(BaseModel):
    error: Literal[True]
    code: str = Field(examples=["DATA_NOT_FOUND"])
    message: str
