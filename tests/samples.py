"""Small Vietnamese documents shared by several test files."""

STATE_REPORT = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 125/BC-UBND
Đồng Nai, ngày 15 tháng 12 năm 2025

BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính năm 2025

Kính gửi: Bộ Nội vụ.

Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2025 của UBND tỉnh, Ủy ban nhân dân tỉnh báo cáo như sau:
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Công tác chỉ đạo, điều hành
Năm 2025, Sở Nội vụ đã tổ chức 15 hội nghị tập huấn, tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%.
2. Hạn chế
Việc số hóa hồ sơ còn chậm, một số xã chưa bố trí đủ công chức.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026
Tiếp tục đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính.
III. KIẾN NGHỊ
Đề nghị Bộ Nội vụ hỗ trợ kinh phí đào tạo cán bộ.

Nơi nhận:
- Bộ Nội vụ;
- TT Tỉnh ủy;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""
