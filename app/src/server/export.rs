//! Spreadsheet exports that are safe to open in Excel: UTF-8 with a byte-order mark (so
//! Japanese opens correctly) and every text cell neutralised against formula injection.
use crate::error::AppError;

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a leading tab or
/// carriage return) gets a leading apostrophe, which Excel and LibreOffice show as text. Plain
/// numbers (a z-score of `-0.53`) stay numbers.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}']);
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// A CSV document being written.
pub struct CsvSheet {
    w: csv::Writer<Vec<u8>>,
}

impl Default for CsvSheet {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvSheet {
    pub fn new() -> CsvSheet {
        CsvSheet { w: csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]) }
    }

    pub fn write_record<I, S>(&mut self, cells: I) -> Result<(), AppError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let row: Vec<String> = cells.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect();
        self.w.write_record(&row).map_err(|e| AppError::internal("csv", e))
    }

    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.w.into_inner().map_err(|e| AppError::internal("csv", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_become_text_and_numbers_stay_numbers() {
        for bad in ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1", "-", "＝1"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["難病", "-0.53", "12", "+3", "3.5", "a=b", "", "株式会社テスト"] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn a_sheet_starts_with_a_byte_order_mark_and_escapes_every_cell() {
        let mut s = CsvSheet::new();
        s.write_record(["ID", "タイトル"]).unwrap();
        s.write_record(["1", "=cmd|' /C calc'!A0"]).unwrap();
        let bytes = s.finish().unwrap();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.contains("'=cmd"), "{text}");
    }
}
