"""Reading an outlet's pasted text: header, dateline, teasers, boilerplate, headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.content.rawtext import Dropped, RawHeader, RawText, read_raw_text
from briefing.model import Heading, Paragraph

FIXTURES = Path(__file__).parent / "fixtures" / "raw"


def read_fixture(name: str) -> RawText:
    # Decoded as the loader does it: UTF-8, so that a BOM reaches the reader as "\ufeff".
    return read_raw_text((FIXTURES / name).read_bytes().decode("utf-8"))


def body(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# --- Kontan: header, "OUTLET - CITY." dateline, "Baca Juga:" teasers, headings ------------


def test_kontan_header_gives_source_and_editor() -> None:
    header = read_fixture("kontan-kursk.txt").header
    assert header.based_on == "Reuters"
    assert header.editor == "Wahyu Prasetyo"  # the trailing " ." is stripped
    assert header.author is None


def test_kontan_dateline_is_removed_and_city_returned() -> None:
    raw = read_fixture("kontan-kursk.txt")
    assert (raw.header.outlet_mark, raw.header.dateline) == ("KONTAN.CO.ID", "Moskow")
    assert raw.blocks[0] == Paragraph(
        "Pemerintah Rusia memperluas daftar desa yang harus dikosongkan di Oblast Kursk "
        "setelah pasukan Ukraina bergerak lebih jauh dari perbatasan.", 2,
    )


def test_kontan_headings_and_paragraphs_keep_their_file_lines() -> None:
    blocks = read_fixture("kontan-kursk.txt").blocks
    assert [(type(b).__name__, b.line) for b in blocks] == [
        ("Paragraph", 2), ("Paragraph", 3), ("Heading", 5), ("Paragraph", 6),
        ("Paragraph", 8), ("Heading", 9), ("Paragraph", 11), ("Paragraph", 12),
    ]
    assert blocks[2] == Heading("Gerak Maju Pasukan Ukraina", 5)
    assert blocks[5] == Heading("Respons Kremlin", 9)  # a teaser between it and its text
    assert blocks[7] == Paragraph(
        "Kementerian Pertahanan Rusia mengklaim telah menghentikan beberapa kolom lapis baja.", 12,
    )


def test_kontan_teasers_are_dropped_and_reported() -> None:
    assert read_fixture("kontan-kursk.txt").dropped == (
        Dropped(7, "Baca Juga: Harga Minyak Naik Tipis Jelang Rilis Data Persediaan", "teaser"),
        Dropped(10, "BACA JUGA: Rupiah Menguat di Awal Pekan", "teaser"),
    )


# --- Kompas: "CITY, OUTLET -" dateline, boilerplate, "Baca juga:"/"Lihat juga:" -------------


def test_kompas_city_first_dateline_is_removed_and_city_title_cased() -> None:
    raw = read_fixture("kompas-kursk.txt")
    assert raw.header == RawHeader(dateline="Kursk", outlet_mark="KOMPAS.com")
    assert raw.blocks[0] == Paragraph(
        "Ribuan warga di desa-desa perbatasan Kursk meninggalkan rumah mereka setelah "
        "tembakan artileri terdengar hampir tanpa henti.", 1,
    )


def test_kompas_boilerplate_and_teasers_are_dropped_and_reported() -> None:
    assert read_fixture("kompas-kursk.txt").dropped == (
        Dropped(2, "ADVERTISEMENT", "boilerplate"),
        Dropped(3, "SCROLL TO CONTINUE WITH CONTENT", "boilerplate"),
        Dropped(5, "Baca juga: Zelensky Akhirnya Akui Operasi di Wilayah Kursk", "teaser"),
        Dropped(8, "Lihat juga: Peta Terbaru Pertempuran di Perbatasan", "teaser"),
        Dropped(13, "Cek Berita dan Artikel yang lain di Google News", "boilerplate"),
    )


def test_kompas_short_quote_and_colon_lines_are_paragraphs_not_headings() -> None:
    blocks = read_fixture("kompas-kursk.txt").blocks
    assert blocks[1:] == (
        Paragraph("Seorang pensiunan bernama Galina mengaku hanya sempat membawa dokumen dan "
                  "obat-obatan.", 4),
        Paragraph('"Kami mendengar ledakan sepanjang malam"', 6),
        Paragraph("Kata-kata itu diulang oleh beberapa pengungsi lain yang ditemui di tempat "
                  "penampungan.", 7),
        Heading("Keadaan Darurat Federal", 9),
        Paragraph("Otoritas Rusia kemudian menetapkan keadaan darurat tingkat federal untuk "
                  "wilayah tersebut.", 10),
        Paragraph("Berikut isi pengumumannya:", 11),
        Paragraph("Warga diminta mengikuti petunjuk aparat dan tidak kembali ke rumah sampai "
                  "ada izin.", 12),
    )


# --- Liputan6: "OUTLET, City -" dateline, "Tonton:", "Video:", lists ----------------------


def test_liputan6_header_takes_author_and_editor_and_ignores_unknown_keys() -> None:
    header = read_fixture("liputan6-kursk.txt").header
    assert header == RawHeader(author="Dinda Ayu", editor="Rizki Maulana",
                               dateline="Kyiv", outlet_mark="Liputan6.com")


def test_liputan6_tonton_and_video_titles_are_dropped_but_video_sentence_is_kept() -> None:
    raw = read_fixture("liputan6-kursk.txt")
    assert raw.dropped == (
        Dropped(3, "Tonton: Detik-detik Jembatan di Sungai Seym Dihantam Rudal", "teaser"),
        Dropped(5, "Tonton juga: Antrean Pengungsi di Perbatasan Belgorod", "teaser"),
        Dropped(12, "Video: Warga Kursk Antre Bantuan di Kota Kurchatov", "teaser"),
    )
    assert Paragraph("Video: rekaman yang beredar memperlihatkan kolom kendaraan terbakar di "
                     "jalan menuju Korenevo.", 13) in raw.blocks


def test_liputan6_run_of_short_lines_and_last_line_are_not_headings() -> None:
    blocks = read_fixture("liputan6-kursk.txt").blocks
    assert [b for b in blocks if isinstance(b, Heading)] == [
        Heading("Jembatan dan Jalur Pasokan", 6),
    ]
    assert Paragraph("Kremlin", 8) in blocks
    assert Paragraph("Rusia", 9) in blocks
    assert Paragraph("Belarus", 10) in blocks
    assert blocks[-1] == Paragraph("Situasi Terakhir", 14)


# --- CRLF, a lone CR, a BOM, trailing spaces, tabs and non-breaking spaces -----------------


def test_crlf_fixture_still_has_its_bom_crlf_and_lone_cr() -> None:
    # Guards the next test: if git or an editor normalised the file, it would test nothing.
    data = (FIXTURES / "tempo-crlf-bom.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 6
    assert data.count(b"\r") == 7  # one CR stands alone
    assert b"\xc2\xa0\r\n" in data  # a non-breaking space before a line end


def test_crlf_bom_and_trailing_whitespace_are_read_clean_with_editor_line_numbers() -> None:
    raw = read_fixture("tempo-crlf-bom.txt")
    assert raw.header == RawHeader(based_on="BBC", author="Sita Pramesti",
                                   dateline="Jakarta", outlet_mark="TEMPO.CO")
    assert raw.blocks == (
        Paragraph("Ukraina menyatakan telah menahan ratusan tentara Rusia di Kursk.", 2),
        Heading("Pertukaran Tawanan", 4),
        Paragraph("Para tawanan itu disebut akan ditukar dengan prajurit Ukraina.", 5),
        Paragraph("Kementerian luar negeri di Kyiv belum memberi rincian jadwal pertukaran.", 7),
    )
    assert raw.dropped == (Dropped(6, "Baca juga: Rusia Gelar Latihan Nuklir Taktis", "teaser"),)


# --- datelines ---------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "outlet", "city"), [
    ("KONTAN.CO.ID - JAKARTA. Teks berita.", "KONTAN.CO.ID", "Jakarta"),
    ("KONTAN.CO.ID - NEW YORK. Teks berita.", "KONTAN.CO.ID", "New York"),
    ("JAKARTA, KOMPAS.com - Teks berita.", "KOMPAS.com", "Jakarta"),
    ("KYIV, KOMPAS.com – Teks berita.", "KOMPAS.com", "Kyiv"),
    ("Liputan6.com, Jakarta - Teks berita.", "Liputan6.com", "Jakarta"),
    ("TEMPO.CO, Jakarta - Teks berita.", "TEMPO.CO", "Jakarta"),
    ("REPUBLIKA.CO.ID, JAKARTA -- Teks berita.", "REPUBLIKA.CO.ID", "Jakarta"),
    ("Bisnis.com, JAKARTA — Teks berita.", "Bisnis.com", "Jakarta"),
    ("Bisnis.com, JAKARTA—Teks berita.", "Bisnis.com", "Jakarta"),
    ("KONTAN.CO.ID -JAKARTA. Teks berita.", "KONTAN.CO.ID", "Jakarta"),
    ("SERAMBINEWS.COM, BANDA ACEH - Teks berita.", "SERAMBINEWS.COM", "Banda Aceh"),
])
def test_dateline_forms_of_each_outlet_are_removed(first: str, outlet: str, city: str) -> None:
    raw = read_raw_text(body(first))
    assert (raw.header.outlet_mark, raw.header.dateline) == (outlet, city)
    assert raw.blocks == (Paragraph("Teks berita.", 1),)


def test_outlet_and_dash_without_capital_city_keeps_the_text_whole() -> None:
    raw = read_raw_text(body("KONTAN.CO.ID - Rusia memerintahkan evakuasi warga."))
    assert (raw.header.outlet_mark, raw.header.dateline) == ("KONTAN.CO.ID", None)
    assert raw.blocks == (Paragraph("Rusia memerintahkan evakuasi warga.", 1),)


@pytest.mark.parametrize("first", [
    "PBB - Dewan Keamanan menggelar rapat darurat.",
    "JAKARTA - Pemerintah menyerukan gencatan senjata.",
    "Kyiv, Ukraina - Serangan berlanjut.",
    "20.000 - itulah jumlah warga yang dievakuasi.",
    "Menurut Reuters.com, Jakarta - sumber itu tidak disebutkan.",
    "Kompas.com-nya sendiri belum memuat berita itu.",
])
def test_first_paragraph_without_domain_like_outlet_is_not_a_dateline(first: str) -> None:
    raw = read_raw_text(body(first))
    assert (raw.header.outlet_mark, raw.header.dateline) == (None, None)
    assert raw.blocks == (Paragraph(first, 1),)


def test_dateline_only_in_the_first_paragraph() -> None:
    raw = read_raw_text(body("Paragraf pertama.", "JAKARTA, KOMPAS.com - Paragraf kedua."))
    assert raw.header.dateline is None
    assert raw.blocks[1] == Paragraph("JAKARTA, KOMPAS.com - Paragraf kedua.", 2)


def test_dateline_on_a_line_of_its_own_leaves_no_empty_paragraph() -> None:
    raw = read_raw_text(body("KONTAN.CO.ID - JAKARTA.", "Ringkas Saja", "Teks berita."))
    assert raw.header.dateline == "Jakarta"
    # The first text line is a paragraph even though it is shaped like a heading.
    assert raw.blocks == (Paragraph("Ringkas Saja", 2), Paragraph("Teks berita.", 3))


# --- header ------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ("Sumber: Telegraph | Editor: Handoyo .", RawHeader(based_on="Telegraph", editor="Handoyo")),
    ("SUMBER: AP. | EDITOR: Handoyo.", RawHeader(based_on="AP", editor="Handoyo")),
    ("Penulis: Ani", RawHeader(author="Ani")),
    ("reporter : Budi", RawHeader(author="Budi")),
    ("Author: Citra | Wartawan: Dedi", RawHeader(author="Citra")),  # the first one wins
    ("Wartawan: Dedi | Foto: AFP | Sumber: Reuters", RawHeader(author="Dedi", based_on="Reuters")),
    ("Editor: |", RawHeader()),  # a known key with nothing after it
])
def test_header_keys_are_case_insensitive_and_fill_their_fields(line: str,
                                                                 expected: RawHeader) -> None:
    raw = read_raw_text(body(line, "Teks berita."))
    assert raw.header == expected
    assert raw.blocks == (Paragraph("Teks berita.", 2),)


@pytest.mark.parametrize("line", [
    "Foto: AFP",  # no known key
    "Sumber: Reuters | Handoyo",  # a part that is not "key: value"
    "Sumber yang tidak mau disebut namanya mengatakan: pasukan sudah mundur.",
])
def test_first_line_that_is_not_a_header_is_kept_as_text(line: str) -> None:
    raw = read_raw_text(body(line, "Teks berita."))
    assert raw.header == RawHeader()
    assert raw.blocks[0] == Paragraph(line, 1)


def test_header_is_read_from_the_first_line_only() -> None:
    raw = read_raw_text(body("Paragraf pertama.", "Editor: Handoyo"))
    assert raw.header.editor is None
    assert raw.blocks == (Paragraph("Paragraf pertama.", 1), Paragraph("Editor: Handoyo", 2))


def test_file_with_only_the_header_has_no_blocks() -> None:
    raw = read_raw_text("Sumber: Telegraph | Editor: Handoyo .")
    assert raw == RawText(RawHeader(based_on="Telegraph", editor="Handoyo"), (), ())


# --- teasers and boilerplate ---------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Baca Juga: Judul Lain", "BACA JUGA: Judul Lain", "Baca juga: Judul Lain",
    "baca juga : Judul Lain", "Lihat juga: Judul Lain", "Lihat Juga: Judul Lain",
    "Simak juga: Judul Lain", "Tonton: Judul Lain", "Tonton juga: Judul Lain",
    "Video: Judul Lain", "VIDEO: Apa yang Terjadi di Kursk?", "Baca Juga:",
])
def test_teaser_lines_are_dropped(line: str) -> None:
    raw = read_raw_text(body("Paragraf pertama.", line, "Paragraf kedua."))
    assert raw.dropped == (Dropped(2, line, "teaser"),)
    assert raw.blocks == (Paragraph("Paragraf pertama.", 1), Paragraph("Paragraf kedua.", 3))


@pytest.mark.parametrize("line", [
    "ADVERTISEMENT", "Advertisement", "SCROLL TO CONTINUE WITH CONTENT",
    "Cek Berita dan Artikel yang lain di Google News",
    "Cek berita, artikel, dan konten lainnya di Google News",
    "Ikuti berita terkini dari kami di Google News",
    "Dapatkan update berita pilihan dan breaking news setiap hari. Mari bergabung di Telegram.",
    "Simak breaking news dan berita pilihan kami langsung di ponselmu.",
    "Pilih saluran andalanmu akses berita lewat WhatsApp Channel : https://example.org",
])
def test_boilerplate_lines_are_dropped(line: str) -> None:
    raw = read_raw_text(body("Paragraf pertama.", line, "Paragraf kedua."))
    assert raw.dropped == (Dropped(2, line, "boilerplate"),)
    assert len(raw.blocks) == 2


@pytest.mark.parametrize("line", [
    "Baca juga berita lain tentang Kursk di halaman ini.",  # no colon: story text
    "Video: rekaman itu memperlihatkan tank yang terbakar.",  # a sentence, not a title
    "Lihat: pasukan itu mundur.",
    "Pembaca dapat mengecek berita ini di Google News maupun situs resmi.",
])
def test_story_lines_that_resemble_teasers_are_kept(line: str) -> None:
    raw = read_raw_text(body("Paragraf pertama.", line, "Paragraf kedua."))
    assert raw.dropped == ()
    assert raw.blocks[1] == Paragraph(line, 2)


# --- headings -------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Serangan Ukraina", "Situasi di Medan Perang", "2024 dan Sesudahnya", "Bukti dan Reaksi",
])
def test_short_line_between_paragraphs_is_a_heading(line: str) -> None:
    raw = read_raw_text(body("Paragraf pertama.", line, "Paragraf kedua."))
    assert raw.blocks[1] == Heading(line, 2)


@pytest.mark.parametrize("line", [
    "Pasukan mundur.", "Mengapa mundur?", "Mundur!", "Berikut daftarnya:", "Pertama;",
    "Kedua,", '"Kami tetap di sini"', "Kata Peskov (juru bicara)", "Pasukan mundur…",
    "sementara itu", "“Kutipan pendek”", "2024", "Sebuah baris yang cukup panjang dengan "
    "sebelas kata di dalamnya tanpa tanda baca akhir sama sekali",
    "X" * 81,
])
def test_lines_that_end_or_start_like_text_are_not_headings(line: str) -> None:
    raw = read_raw_text(body("Paragraf pertama.", line, "Paragraf kedua."))
    assert raw.blocks[1] == Paragraph(line, 2)


def test_first_and_last_lines_are_never_headings() -> None:
    raw = read_raw_text(body("Pembukaan Singkat", "Isi berita.", "Penutup Singkat"))
    assert raw.blocks == (
        Paragraph("Pembukaan Singkat", 1),
        Paragraph("Isi berita.", 2),
        Paragraph("Penutup Singkat", 3),
    )


def test_heading_followed_only_by_a_teaser_is_a_paragraph() -> None:
    raw = read_raw_text(body("Isi berita.", "Penutup Singkat", "Baca Juga: Judul Lain"))
    assert raw.blocks[1] == Paragraph("Penutup Singkat", 2)


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n\n", " \t\u00a0\r\n\r\u200b\n"])
def test_empty_or_blank_input_gives_no_blocks(text: str) -> None:
    assert read_raw_text(text) == RawText(RawHeader(), (), ())


def test_lone_cr_line_endings_count_as_lines() -> None:
    raw = read_raw_text("Paragraf pertama.\rSubjudul Ini\rParagraf kedua.\r")
    assert raw.blocks == (
        Paragraph("Paragraf pertama.", 1),
        Heading("Subjudul Ini", 2),
        Paragraph("Paragraf kedua.", 3),
    )


def test_other_unicode_separators_do_not_split_lines() -> None:
    # str.splitlines() would split here and shift every line number after it.
    raw = read_raw_text("Satu\u2028dua.\x0cTiga.\nEmpat.")
    assert raw.blocks == (Paragraph("Satu\u2028dua.\x0cTiga.", 1), Paragraph("Empat.", 2))


@pytest.mark.parametrize("text", [
    "   \t  ",
    "Sumber: Telegraph | Editor: Handoyo .\n\n\n",
    "KONTAN.CO.ID - " + "A " * 200_000,
    "a" * 1_000_000,
    "Sumber: " + "x|" * 100_000,
    "JAKARTA, " * 50_000,
    "Ukraina 🇺🇦 — Rusia 🇷🇺\n\x00\x1f\ud800\n\u202e\u0301ǅ\n" * 3,
    "|||\n:::\n- - -\n—\n.",
])
def test_odd_input_never_raises_and_gives_clean_blocks(text: str) -> None:
    raw = read_raw_text(text)
    line_count = text.count("\n") + 1
    for block in raw.blocks:
        assert block.text  # never an empty block
        assert block.text == block.text.strip()
        assert 1 <= block.line <= line_count
