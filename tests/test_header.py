"""Header parsing (pipeline.ingest.header) through ``ingest_text``, which repairs first."""

from __future__ import annotations

import json
import unicodedata

import pytest

from pipeline.ingest import ingest, ingest_text
from pipeline.ingest.header_dates import find_place_date, iso_date

# fmt: off
LAYOUT = (  # pdftotext -layout: both columns on one line
    "       ỦY BAN NHÂN DÂN                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "        TỈNH LÂM ĐỒNG                                   Độc lập - Tự do - Hạnh phúc\n"
    "        Số: 329      /BC-UBND                      Lâm Đồng, ngày 19 tháng 12 năm 2025\n\n\n"
    "                                    BÁO CÁO\n"
    "                    Công tác cải cách hành chính năm 2025 và\n"
    "               phương hướng, nhiệm vụ năm 2026 của tỉnh Lâm Đồng\n\n"
    "      Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ\n"
)
PARENT_TABS = (  # a Word table flattened to tab rows
    "UBND TỈNH ĐĂK NÔNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "SỞ TÀI CHÍNH\tĐộc lập – Tự do – Hạnh phúc\n"
    "Số: 118/BC-STC\tĐắk Nông, ngày 12 tháng 6 năm 2019\n\n"
    "BÁO CÁO\nCông tác thanh tra, giải quyết khiếu nại, tố cáo và\n"
    "Phòng, chống tham nhũng Quý II và 6 tháng đầu năm 2019\n\n"
    "Thực hiện Công văn số 465/TTr-P1 ngày 04/6/2019 của Thanh tra tỉnh.\n"
)
SEQUENTIAL = (  # mammoth: one cell per line, left column first, blank lines between
    "ỦY BAN MTTQ VIỆT NAM\n\nXÃ LƯƠNG MINH\n\nBAN THƯỜNG TRỰC\n\n\n\nSố: 16/KH-MTTQ-BTT\n\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n   Độc lập - Tự do - Hạnh phúc\n\n\n\n"
    "Lương Minh, ngày 18 tháng 11 năm 2025\n\n\n\nKẾ HOẠCH\n\n"
    "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI \n\n"
    "và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031\n\n\n\n"
    "Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13.\n"
)
MARKDOWN = (  # raw markdown, hard-wrapped inside table cells
    "|\n**ỦY BAN NHÂN DÂN\n**\nTỈNH QUẢNG TRỊ\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 06/CT-UBND\n|\n*Quảng Trị, ngày\n"
    "25 tháng 11 năm 2025*\n|\n\n\n**CHỈ THỊ**\n\nVỀ\nVIỆC TĂNG CƯỜNG XỬ LÝ CHỒNG LẤN, LẤN CHIẾM RỪNG\n"
    "TỈNH QUẢNG TRỊ\n\nTrong những năm qua, thực hiện\nchỉ đạo của Đảng.\n"
)
MARKDOWN_YEAR_SPLIT = (
    "|\n**KIỂM TOÁN NHÀ\nNƯỚC**\n-------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n"
    "|\n|\nSố: 1760/QĐ-KTNN\n|\n*Hà Nội, ngày **24** tháng 11 năm\n202**5*\n|\n\n**QUYẾT ĐỊNH**\n\n"
    "BAN\nHÀNH QUY ĐỊNH VỀ MẪU THẺ KIỂM TOÁN VIÊN NHÀ NƯỚC\n\n**TỔNG KIỂM TOÁN NHÀ NƯỚC**\n\n*Căn cứ Luật.*\n"
)
PARTY = (
    "   BAN CHẤP HÀNH TRUNG ƯƠNG                                           ĐẢNG CỘNG SẢN VIỆT NAM\n"
    "         BAN TỔ CHỨC\n"
    "                 *                                                     Hà Nội, ngày 29 tháng 9 năm 2025\n"
    "        Số 38 - HD/BTCTW\n\n"
    "                                              HƯỚNG DẪN\n"
    "                                   nghiệp vụ công tác đảng viên\n"
    "                                               -----\n\n\n"
    "    Căn cứ Điều lệ Đảng, Quy định số 294-QĐ/TW.\n"
)
PARTY_CV = (
    "**ĐẢNG ỦY CHÍNH PHỦ**\n**VĂN PHÒNG**\n\\*\nSố 402-CV/VPĐU\n"
    "V/v xin ý kiến dự thảo báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW\n\n"
    "**ĐẢNG CỘNG SẢN VIỆT NAM**\nHà Nội, ngày 25 tháng 5 năm 2025\n\n**Kính gửi:**\n"
    "- Đồng chí Phạm Minh Chính, Bí thư Đảng ủy Chính phủ,\n- Các đồng chí Phó Bí thư Đảng ủy Chính phủ.\n\n"
    "Văn phòng Trung ương Đảng có văn bản số 15000-CV/VPTW.\n"
)
CONG_VAN = (  # V/v wrapped in the left column beside the date; stamped number above "Số:"
    "          BỘ NỘI VỤ                   CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "                                               Độc lập - Tự do - Hạnh phúc\n"
    "       12094\n"
    "     Số:   /BNV-CCHC                       Hà Nội, ngày 15 tháng 12 năm 2025\n"
    "  V/v hướng dẫn triển khai Đề án\n"
    "xác định Chỉ số cải cách hành chính\n\n"
    "                Kính gửi:\n"
    "                            - Các bộ, cơ quan ngang bộ;\n"
    "                            - Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương.\n\n"
    "           Thực hiện Quyết định số 1187/QĐ-BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ.\n"
)
DRAFT = (
    "UBND TỈNH LÂM ĐỒNG\nBAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, \n"
    "CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06\n Số:            /BC-BCĐ\n\t\t\t\t\t\t\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n  Độc lập - Tự do - Hạnh phúc\n\n\n"
    "Lâm Đồng, ngày       tháng 8 năm 2025\n\n\nBÁO CÁO\n"
    "  Kết quả triển khai Đề án 06 trên địa bàn tỉnh Lâm Đồng tháng 8/2025 \n\n"
    "\tThực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.\n"
)
NORMATIVE_TABS = (
    "\nỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH BÌNH DƯƠNG\tĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 09/2009/CT-UBND\tThủ Dầu Một, ngày 15  tháng 4  năm 2009\n\n\n\nCHỈ THỊ\n"
    "Về việc đẩy mạnh hoạt động khoa học và công nghệ cấp cơ sở\n\n\n\n"
    "    Trong thời gian qua, hoạt động khoa học và công nghệ cấp sở được tỉnh quan tâm.\n"
)
THREE_LINE_PARENT = (
    "HỘI ĐỒNG NHÂN DÂN                             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    " TỈNH BÌNH DƯƠNG                                         Độc lập - Tự do - Hạnh phúc\n"
    "  ĐOÀN GIÁM SÁT\n"
    "                                                  Bình Dương, ngày 21 tháng 10 năm 2021\n"
    "   Số: 11/TB-ĐGS\n\n"
    "                                   THÔNG BÁO\n"
    "                   Phân công nhiệm vụ thành viên Đoàn giám sát\n\n"
    "       Căn cứ Luật Hoạt động giám sát của Quốc hội.\n"
)
CONGRESS = (
    "                                       10\n"
    "       ĐẠI HỘI ĐẠI BIỂU                             ĐOÀN TNCS HỒ CHÍ MINH\n"
    "    ĐOÀN TNCS HỒ CHÍ MINH\n"
    " TRƯỜNG ĐH SƯ PHẠM KỸ THUẬT\n"
    "LẦN THỨ XXII, NHIỆM KỲ 2024 – 2027\n"
    "               ***\n\n\n"
    "                            BÁO CÁO KIỂM ĐIỂM\n"
    "               Của Ban Chấp hành Đoàn TNCS Hồ Chí Minh Trường\n"
    "                      khóa XXI, nhiệm kỳ 2022 - 2024\n"
    "                                 ---------\n\n"
    "        Ban Chấp hành Đoàn trường gồm 27 đồng chí.\n"
)
NO_HEADER = (
    "TÓM TẮT TRỌNG TÂM, TRỌNG ĐIỂM BÁO CÁO CÔNG TÁC\nCẢI CÁCH HÀNH CHÍNH NĂM 2025\n\n"
    "I. BỐI CẢNH VÀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\nNăm 2025, tỉnh Lâm Đồng triển khai công tác.\n"
)
ONE_LINE_PARENT = (  # a joined table cell: parent and issuer on one line
    "UBND THÀNH PHỐ HÀ NỘI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG -------\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
    "Độc lập - Tự do - Hạnh phúc ---------------\n\tSố: 1594/QĐ-TTPVHCC\tHà Nội, ngày 20 tháng 11 năm 2025\n\n"
    "QUYẾT ĐỊNH\n\nVỀ VIỆC PHÊ DUYỆT QUY TRÌNH NỘI BỘ\n\nGIÁM ĐỐC TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\n\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương;\n"
)

CASES = {
    # name: (text, system, number, issuer, parent, place, date, doc_type, title)
    "layout": (LAYOUT, "state", "329/BC-UBND", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None, "Lâm Đồng", "2025-12-19", "BC",
               "Công tác cải cách hành chính năm 2025 và phương hướng, nhiệm vụ năm 2026 của tỉnh Lâm Đồng"),
    "tabs": (PARENT_TABS, "state", "118/BC-STC", "SỞ TÀI CHÍNH", "UBND TỈNH ĐĂK NÔNG", "Đắk Nông", "2019-06-12", "BC",
             "Công tác thanh tra, giải quyết khiếu nại, tố cáo và Phòng, chống tham nhũng Quý II và 6 tháng đầu năm 2019"),
    "sequential": (SEQUENTIAL, "state", "16/KH-MTTQ-BTT", "BAN THƯỜNG TRỰC", "ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH",
                   "Lương Minh", "2025-11-18", "KH", "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử "
                   "đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031"),
    "markdown": (MARKDOWN, "state", "06/CT-UBND", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", None, "Quảng Trị", "2025-11-25",
                 "CT", "VỀ VIỆC TĂNG CƯỜNG XỬ LÝ CHỒNG LẤN, LẤN CHIẾM RỪNG TỈNH QUẢNG TRỊ"),
    "markdown_year_split": (MARKDOWN_YEAR_SPLIT, "state", "1760/QĐ-KTNN", "KIỂM TOÁN NHÀ NƯỚC", None, "Hà Nội",
                            "2025-11-24", "QĐ", "BAN HÀNH QUY ĐỊNH VỀ MẪU THẺ KIỂM TOÁN VIÊN NHÀ NƯỚC"),
    "party": (PARTY, "party", "38-HD/BTCTW", "BAN TỔ CHỨC", "BAN CHẤP HÀNH TRUNG ƯƠNG", "Hà Nội", "2025-09-29", "HD",
              "nghiệp vụ công tác đảng viên"),
    "party_cv": (PARTY_CV, "party", "402-CV/VPĐU", "VĂN PHÒNG", "ĐẢNG ỦY CHÍNH PHỦ", "Hà Nội", "2025-05-25", "CV",
                 "V/v xin ý kiến dự thảo báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW"),
    "cong_van": (CONG_VAN, "state", "12094/BNV-CCHC", "BỘ NỘI VỤ", None, "Hà Nội", "2025-12-15", "CV",
                 "V/v hướng dẫn triển khai Đề án xác định Chỉ số cải cách hành chính"),
    "draft": (DRAFT, "state", "/BC-BCĐ", "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI SỐ "
              "VÀ ĐỀ ÁN 06", "UBND TỈNH LÂM ĐỒNG", "Lâm Đồng", "2025-08", "BC",
              "Kết quả triển khai Đề án 06 trên địa bàn tỉnh Lâm Đồng tháng 8/2025"),
    "normative": (NORMATIVE_TABS, "state", "09/2009/CT-UBND", "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG", None, "Thủ Dầu Một",
                  "2009-04-15", "CT", "Về việc đẩy mạnh hoạt động khoa học và công nghệ cấp cơ sở"),
    "three_line_parent": (THREE_LINE_PARENT, "state", "11/TB-ĐGS", "ĐOÀN GIÁM SÁT", "HỘI ĐỒNG NHÂN DÂN TỈNH BÌNH DƯƠNG",
                          "Bình Dương", "2021-10-21", "TB", "Phân công nhiệm vụ thành viên Đoàn giám sát"),
    "congress": (CONGRESS, None, None, "ĐẠI HỘI ĐẠI BIỂU ĐOÀN TNCS HỒ CHÍ MINH TRƯỜNG ĐH SƯ PHẠM KỸ THUẬT LẦN THỨ XXII, "
                 "NHIỆM KỲ 2024 – 2027", None, None, None, "BC",
                 "Của Ban Chấp hành Đoàn TNCS Hồ Chí Minh Trường khóa XXI, nhiệm kỳ 2022 - 2024"),
    "no_header": (NO_HEADER, None, None, None, None, None, None, None, None),
    "one_line_parent": (ONE_LINE_PARENT, "state", "1594/QĐ-TTPVHCC", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                        "UBND THÀNH PHỐ HÀ NỘI", "Hà Nội", "2025-11-20", "QĐ", "VỀ VIỆC PHÊ DUYỆT QUY TRÌNH NỘI BỘ"),
}
# fmt: on


def _fields(doc):
    return (
        doc.system,
        doc.number.text if doc.number else None,
        doc.issuer.name if doc.issuer else None,
        doc.issuer.parent if doc.issuer else None,
        doc.place,
        doc.date,
        doc.doc_type,
        doc.title,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_header_layouts(name):
    text, *expected = CASES[name]
    assert _fields(ingest_text(text)) == tuple(expected)


@pytest.mark.parametrize("name", ["layout", "party", "cong_van", "markdown"])
def test_header_nfd_input(name):
    text, *expected = CASES[name]
    assert _fields(ingest_text(unicodedata.normalize("NFD", text))) == tuple(expected)


@pytest.mark.parametrize("name", ["layout", "tabs", "party", "cong_van", "draft"])
def test_header_spans_point_at_the_printed_values(name):
    doc = ingest_text(CASES[name][0])
    assert doc.span_text(doc.spans["date"]).lower().startswith("ngày")
    assert doc.place is None or doc.span_text(doc.spans["place"]) == doc.place
    assert " ".join(doc.span_text(doc.spans["number"]).split()).startswith(doc.number.text[:2])
    assert doc.issuer.name.split()[0] in doc.span_text(doc.spans["issuer"])
    assert doc.issuer.name.split()[-1] in doc.span_text(doc.spans["issuer"])


@pytest.mark.parametrize(
    "name,body_starts",
    [
        ("layout", "Thực hiện Công văn"),
        ("cong_van", "Thực hiện Quyết định"),
        ("party", "Căn cứ Điều lệ"),
        ("party_cv", "Văn phòng Trung ương"),
        ("sequential", "Căn cứ Luật"),
        ("no_header", "TÓM TẮT"),
    ],
)
def test_header_body_starts_after_the_header(name, body_starts):
    doc = ingest_text(CASES[name][0])
    start = doc.body_span[0]
    assert doc.text[start:].lstrip().startswith(body_starts)


@pytest.mark.parametrize(
    "name,addressees",
    [
        ("cong_van", ["Các bộ, cơ quan ngang bộ", "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"]),
        (
            "party_cv",
            [
                "Đồng chí Phạm Minh Chính, Bí thư Đảng ủy Chính phủ",
                "Các đồng chí Phó Bí thư Đảng ủy Chính phủ",
            ],
        ),
        ("layout", []),
    ],
)
def test_header_addressees(name, addressees):
    assert ingest_text(CASES[name][0]).addressees == addressees


def test_header_one_line_kinh_gui_with_wrap():
    text = (
        "   UBND TỈNH LÂM ĐỒNG                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "       SỞ TƯ PHÁP                           Độc lập - Tự do - Hạnh phúc\n\n"
        "     Số: 1128 /STP-BTTP                 Lâm Đồng, ngày 16 tháng 10 năm 2025\n"
        "V/v hoàn thiện Đề án hợp nhất đoàn\nLuật sư tỉnh Lâm Đồng.\n\n\n"
        "                    Kính gửi: Đoàn Luật sư tỉnh Lâm Đồng, tỉnh\n"
        "                          Bình Thuận, tỉnh Đắk Nông (cũ).\n\n"
        "     Sở Tư pháp nhận được Tờ trình số 220/TTr-ĐLS ngày 03/10/2025.\n"
    )
    doc = ingest_text(text)
    assert doc.title == "V/v hoàn thiện Đề án hợp nhất đoàn Luật sư tỉnh Lâm Đồng."
    assert doc.addressees == ["Đoàn Luật sư tỉnh Lâm Đồng, tỉnh Bình Thuận, tỉnh Đắk Nông (cũ)"]
    assert doc.text[doc.body_span[0] :].lstrip().startswith("Sở Tư pháp nhận được")


@pytest.mark.parametrize(
    "stamp,field,value",
    [
        ("HỎA TỐC", "urgency", "HỎA TỐC"),
        ("THƯỢNG KHẨN", "urgency", "THƯỢNG KHẨN"),
        ("KHẨN", "urgency", "KHẨN"),
        ("MẬT", "secrecy", "MẬT"),
        ("TỐI MẬT", "secrecy", "TỐI MẬT"),
        ("**TUYỆT MẬT**", "secrecy", "TUYỆT MẬT"),
    ],
)
def test_header_stamps(stamp, field, value):
    text = (
        "UBND TỈNH BÌNH PHƯỚC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ Y TẾ\tĐộc lập - Tự do - Hạnh phúc\n"
        f"Số: 45/SYT-NVY\tBình Phước, ngày 05 tháng 02 năm 2024\nV/v phòng, chống dịch\n{stamp}\n\n"
        "Kính gửi: Ủy ban nhân dân tỉnh\n\nSở Y tế báo cáo như sau:\n"
    )
    doc = ingest_text(text)
    assert getattr(doc, field) == value
    assert doc.doc_type == "CV" and doc.date == "2024-02-05"


def test_header_type_line_with_draft_mark_and_qualifier():
    text = (
        "UBND TỈNH BÌNH THUẬN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "HIỆP HỘI DOANH NGHIỆP                   Độc lập – Tự do – Hạnh phúc\n\n"
        "   Số:……../BC-K4                                  Bình Thuận, ngày   tháng 6 năm 2025\n"
        "Dự thảo\n                                 BÁO CÁO TÓM TẮT\n"
        "            TỔNG KẾT HOẠT ĐỘNG NHIỆM KỲ IV (2019-2025)\n                     ------------\n\n"
        "      Giai đoạn 2020 - 2025, tình hình kinh tế chính trị thế giới diễn biến phức tạp.\n"
    )
    doc = ingest_text(text)
    assert (doc.type_name, doc.doc_type, doc.number.text, doc.date) == (
        "BÁO CÁO TÓM TẮT",
        "BC",
        "/BC-K4",
        "2025-06",
    )
    assert doc.title == "TỔNG KẾT HOẠT ĐỘNG NHIỆM KỲ IV (2019-2025)"
    assert (doc.issuer.name, doc.issuer.parent) == ("HIỆP HỘI DOANH NGHIỆP", "UBND TỈNH BÌNH THUẬN")


def test_header_number_wrapped_after_hyphen():
    text = (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH KON TUM\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 06/2024/QĐ-\tKon Tum, ngày 24 tháng 01 năm 2024\nUBND\n\nQUYẾT ĐỊNH\nBan hành quy định chế độ báo cáo\n\n"
        "ỦY BAN NHÂN DÂN TỈNH KON TUM\n"
    )
    doc = ingest_text(text)
    assert (doc.number.text, doc.number.style, doc.number.year) == ("06/2024/QĐ-UBND", "normative", 2024)
    assert doc.title == "Ban hành quy định chế độ báo cáo"


def test_header_signing_date_when_the_header_has_none():
    text = (
        "UBND TỈNH ĐĂK NÔNG            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "   SỞ TÀI CHÍNH                  Độc lập - Tự do - Hạnh phúc\n\n     Số: 77/BC-STC\n\n"
        "          TỔNG HỢP KẾT QUẢ CÔNG TÁC TIẾP CÔNG DÂN THÁNG 4 NĂM 2019\n"
        "          (Số liệu báo cáo tính từ ngày 22/03/2019 đến hết ngày 18/4/2019)\n\n"
        "STT     Ngày tiếp        Họ, tên\n 01     04/4/2019        Nguyễn Tấn Bi\n\n"
        "Nơi nhận:                                   Đăk Nông, ngày 24 tháng 4 năm 2019\n- Lưu: VT.\n"
    )
    doc = ingest_text(text)
    assert (doc.doc_type, doc.date, doc.place) == ("BC", "2019-04-24", "Đăk Nông")
    assert doc.title == "TỔNG HỢP KẾT QUẢ CÔNG TÁC TIẾP CÔNG DÂN THÁNG 4 NĂM 2019"


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "Một dòng văn bản thường."])
def test_header_empty_or_plain_text(text):
    doc = ingest_text(text)
    assert (doc.number, doc.issuer, doc.date, doc.doc_type, doc.title) == (None, None, None, None, None)
    assert doc.body_span[0] == 0


# ---------------------------------------------------------------- place and date

# fmt: off
DATES = [
    ("Lâm Đồng, ngày 05 tháng 11 năm 2025",          "Lâm Đồng",        "2025-11-05"),
    ("Bình Phước, ngày     tháng 4 năm 2024",        "Bình Phước",      "2024-04"),
    ("Lâm Đồng, ngày        tháng      năm 2025",    "Lâm Đồng",        "2025"),
    ("Thanh Hóa, ngày22 tháng 5 năm 2026",           "Thanh Hóa",       "2026-05-22"),
    ("Quảng Trị, ngày\n25 tháng 11 năm 2025",        "Quảng Trị",       "2025-11-25"),
    ("Bình Thuận, ngày   23 tháng    3 năm 2022",    "Bình Thuận",      "2022-03-23"),
    ("TP. Hồ Chí Minh, ngày 13/4/2023",              "TP. Hồ Chí Minh", "2023-04-13"),
    ("Hà Nội, ngày 05 tháng bốn năm 2020",           "Hà Nội",          "2020-04-05"),
    ("Phường 1, ngày 01 tháng 01 năm 2021",          "Phường 1",        "2021-01-01"),
    ("Số: 12/BC-UBND Lâm Đồng, ngày 01 tháng 02 năm 2024", "Lâm Đồng",  "2024-02-01"),
]
# fmt: on


@pytest.mark.parametrize("text,place,iso", DATES)
def test_header_dates_place_date(text, place, iso):
    d = find_place_date(text)
    assert d is not None and (d.place, d.iso) == (place, iso)
    assert text[d.place_span[0] : d.place_span[1]] == place


@pytest.mark.parametrize(
    "d,m,y,iso",
    [
        ("5", "2", "2024", "2024-02-05"),
        (None, "8", "2025", "2025-08"),
        (None, None, "2025", "2025"),
        ("31", "2", "2024", None),
        ("1", "13", "2024", None),
        ("3", None, None, None),
    ],
)
def test_header_dates_iso(d, m, y, iso):
    assert iso_date(d, m, y) == iso


@pytest.mark.parametrize(
    "text",
    ["ngày 19 tháng 12 năm 2025 của Bộ Nội vụ", "Hà Nội, năm 2025", "Lâm Đồng, ngày 32 tháng 1 năm 2025"],
)
def test_header_dates_reject(text):
    assert find_place_date(text) is None


# ---------------------------------------------------------------- the measure on gold

FIELDS = ("doc_type", "number", "issuer", "issuer_parent", "place", "date", "title")
TARGETS = {"number": 0.95, "date": 0.95, "doc_type": 0.95, "issuer": 0.90}


def _got(doc, field):
    if field == "number":
        return doc.number.text if doc.number else None
    if field == "issuer":
        return doc.issuer.name if doc.issuer else None
    if field == "issuer_parent":
        return doc.issuer.parent if doc.issuer else None
    return getattr(doc, field)


def _same(got, want, field):
    def norm(v):
        if v is None:
            return None
        v = " ".join(str(v).split())
        return v.lower() if field == "title" else v

    return norm(got) == norm(want)


@pytest.mark.shared
def test_header_accuracy_on_gold(corpus_docs, gold):
    hits = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    n = 0
    for doc_id, want in gold.items():
        if doc_id not in corpus_docs:
            continue
        n += 1
        doc = ingest(corpus_docs[doc_id])
        for f in FIELDS:
            if _same(_got(doc, f), want.get(f), f):
                hits[f] += 1
            else:
                misses.append(f"{doc_id} {f}: {_got(doc, f)!r} != {want.get(f)!r}")
    assert n >= 40
    rates = {f: hits[f] / n for f in FIELDS}
    report = json.dumps(rates, indent=1) + "\n" + "\n".join(misses)
    for f, target in TARGETS.items():
        assert rates[f] >= target, report
