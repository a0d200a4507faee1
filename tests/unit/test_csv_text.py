"""The CSV reading shared by the answers and the effort files (wbk.formats.csv_text)."""

from __future__ import annotations

import pytest

from wbk.formats.csv_text import CsvTable, CsvTextError, decode_csv, sniff_delimiter


def test_decoding_drops_the_bom_and_refuses_what_is_not_text():
    assert decode_csv("\ufeffcode,answer\n".encode()) == "code,answer\n"
    for data, reason in (
        (b"code\x00,answer", "not_text"),
        (b"code,jawab\xe1n", "not_text"),
        (b" \r\n\t", "empty"),
        (b"", "empty"),
    ):
        with pytest.raises(CsvTextError) as refused:
            decode_csv(data)
        assert refused.value.reason == reason


def test_the_delimiter_is_the_one_the_header_uses_most():
    assert sniff_delimiter("code;answer;note") == ";"
    assert sniff_delimiter("code,answer") == ","
    assert sniff_delimiter("code;note,with,commas") == ","
    assert sniff_delimiter("code") == ","


def test_records_come_padded_with_their_starting_line_and_blank_ones_skipped():
    table = CsvTable(b'Code ; Answer;note\nA;1\n;;\n\nB;"two\nlines";x\nC;3;\n')
    assert (table.header, table.first_line) == (["code", "answer", "note"], "Code ; Answer;note")
    assert list(table.records()) == [
        (2, ["A", "1", ""]),
        (5, ["B", "two\nlines", "x"]),
        (7, ["C", "3", ""]),
    ]


def test_a_record_wider_than_the_header_is_refused_with_its_line():
    table = CsvTable(b"code,answer\nA,1\nB,2,3\n")
    with pytest.raises(CsvTextError) as refused:
        list(table.records())
    assert (refused.value.reason, refused.value.params) == (
        "too_many_columns",
        {"line": 3, "count": 3, "expected": 2},
    )
