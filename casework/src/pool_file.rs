//! An expert pool as a file: read from a CSV (`csv`) or an XLSX (`calamine`) into entries, with
//! what is wrong reported per row, and written as a CSV (UTF-8 with a BOM, so spreadsheet
//! programs read the Chinese; no cell can start a formula) or an XLSX (`rust_xlsxwriter`).
//!
//! The header row names the columns, each as `中文 english` (`用户名 username`), or either half
//! alone, in any order. Rows are numbered as a spreadsheet shows them: the header is row 1.
//! Only the form of each cell is checked here (dates, yes/no, duplicates); what the entry means
//! (the series, the title against the tier, the term, the unit, the account) is
//! `committee::check_entry`'s. Nothing here words a message: the web layer words [`FileError`]
//! and [`CellProblem`].

use std::collections::HashMap;
use std::io::Cursor;

use chrono::NaiveDate;

use crate::committee::ExpertEntry;

/// The largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// The most rows (beside the header) a file may hold.
pub const MAX_ROWS: usize = 5_000;

/// The columns of a pool file, in the order they are written: (key, Chinese name). The header
/// cell written is `{zh} {key}`.
pub const COLUMNS: [(&str, &str); 11] = [
    ("username", "用户名"),
    ("name", "姓名"),
    ("unit", "单位代码"),
    ("series", "系列"),
    ("specialty", "专业"),
    ("title_level", "职称级别"),
    ("high_skill", "高技能人才"),
    ("duty", "职务"),
    ("term_from", "任期开始"),
    ("term_to", "任期结束"),
    ("active", "在库"),
];

/// Columns a file must have; the others take a default when absent (specialty empty, not
/// high-skill, a member, active).
const REQUIRED: [&str; 7] = [
    "username",
    "name",
    "unit",
    "series",
    "title_level",
    "term_from",
    "term_to",
];

/// The two kinds of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format of an uploaded file: an XLSX is a ZIP (it starts `PK\3\4`); anything else
    /// is read as CSV. The name's extension is not trusted.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// Why a whole file is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge { max_bytes: usize },
    /// More rows than [`MAX_ROWS`].
    TooManyRows { max: usize },
    /// Not a CSV in UTF-8 nor an XLSX that opens.
    Unreadable,
    /// No header row.
    Empty,
    /// A column the header does not name (its text as written).
    UnknownColumn(String),
    /// A required column the header lacks (its key).
    MissingColumn(&'static str),
    /// A column named twice (its key).
    DuplicateColumn(&'static str),
}

/// What is wrong with a cell of a row, before the entry is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellProblem {
    /// Not a date (`YYYY-MM-DD`): the column's key and the text.
    NotADate { column: &'static str, value: String },
    /// Not yes or no: the column's key and the text.
    NotYesNo { column: &'static str, value: String },
    /// A required cell left empty.
    Empty { column: &'static str },
    /// The same username on an earlier row.
    DuplicateUsername { username: String, first_row: usize },
}

/// A file read: its rows that read as entries, and its rows that do not, each with its row
/// number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub entries: Vec<(usize, ExpertEntry)>,
    pub refused: Vec<(usize, Vec<CellProblem>)>,
}

/// The header cell of a column as written.
pub fn header(key: &str, zh: &str) -> String {
    format!("{zh} {key}")
}

/// The column a header cell names, by its key.
fn column_of(cell: &str) -> Option<&'static str> {
    let cell = cell.trim().trim_start_matches('\u{feff}').trim();
    COLUMNS.iter().find_map(|(key, zh)| {
        let matches = cell.eq_ignore_ascii_case(key)
            || cell == *zh
            || cell.eq_ignore_ascii_case(&header(key, zh))
            || cell
                .split_once(char::is_whitespace)
                .is_some_and(|(a, b)| a == *zh && b.trim().eq_ignore_ascii_case(key));
        matches.then_some(*key)
    })
}

/// The text rows of a file of either format (at most [`MAX_FILE_BYTES`]), each with its row
/// number as a spreadsheet shows it; the header is row 1. The calendar's import reads these too.
pub(crate) fn text_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            max_bytes: MAX_FILE_BYTES,
        });
    }
    match Format::sniff(bytes) {
        Format::Csv => csv_rows(bytes),
        Format::Xlsx => xlsx_rows(bytes),
    }
}

/// Reads a file of either format.
pub fn read(bytes: &[u8]) -> Result<Read, FileError> {
    let rows = text_rows(bytes)?;
    from_rows(rows)
}

/// The text rows of a CSV (a BOM dropped), each with its row number.
fn csv_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::Unreadable)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The row number is the line the record starts on, counted from its byte offset (the
    // reader's own count skips blank lines, which a spreadsheet shows as rows).
    let (mut line, mut counted) = (1, 0);
    for record in reader.records() {
        let record = record.map_err(|_| FileError::Unreadable)?;
        let mut start = record
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(counted);
        // The position is where the reader started, before any blank lines it skipped.
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += text.as_bytes()[counted..start.max(counted)]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted = start.max(counted);
        rows.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok(rows)
}

/// The text of an XLSX cell: numbers without a needless `.0`, dates as `YYYY-MM-DD`.
fn xlsx_text(cell: &calamine::Data) -> String {
    use calamine::{Data, DataType};
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "true" } else { "false" }.to_owned(),
        Data::DateTime(_) | Data::DateTimeIso(_) => cell
            .as_date()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| cell.to_string()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// The text rows of an XLSX's first sheet, each with its row number.
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileError::Unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(FileError::Empty)?
        .map_err(|_| FileError::Unreadable)?;
    // A sheet's rows start where its first used cell is.
    let first = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, col)| col as usize).unwrap_or(0);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(row.iter().map(xlsx_text));
        rows.push((first + i + 1, cells));
    }
    Ok(rows)
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// A cell written by [`write_csv`] with a `'` before a formula character has it taken off.
fn unguarded(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// Yes or no, in either language; empty is `default`.
fn yes_no(s: &str, default: bool) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" => Some(default),
        "是" | "yes" | "y" | "true" | "1" => Some(true),
        "否" | "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

fn from_rows(rows: Vec<(usize, Vec<String>)>) -> Result<Read, FileError> {
    let mut rows = rows.into_iter().filter(|(_, cells)| !blank(cells));
    let (_, head) = rows.next().ok_or(FileError::Empty)?;
    // Each column's position in the file.
    let mut at: HashMap<&'static str, usize> = HashMap::new();
    for (i, cell) in head.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        let key = column_of(cell).ok_or_else(|| FileError::UnknownColumn(cell.trim().into()))?;
        if at.insert(key, i).is_some() {
            return Err(FileError::DuplicateColumn(key));
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|k| !at.contains_key(*k)) {
        return Err(FileError::MissingColumn(missing));
    }
    let data: Vec<(usize, Vec<String>)> = rows.collect();
    if data.len() > MAX_ROWS {
        return Err(FileError::TooManyRows { max: MAX_ROWS });
    }
    let mut read = Read::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in data {
        let cell = |key: &str| -> String {
            at.get(key)
                .and_then(|i| cells.get(*i))
                .map(|c| unguarded(c.trim()).to_owned())
                .unwrap_or_default()
        };
        let mut problems = Vec::new();
        for key in ["username", "name", "unit", "series", "title_level"] {
            if cell(key).is_empty() {
                problems.push(CellProblem::Empty {
                    column: column_key(key),
                });
            }
        }
        let mut day = |key: &'static str| {
            let text = cell(key);
            match date(&text) {
                Some(d) => Some(d),
                None if text.is_empty() => {
                    problems.push(CellProblem::Empty { column: key });
                    None
                }
                None => {
                    problems.push(CellProblem::NotADate {
                        column: key,
                        value: text,
                    });
                    None
                }
            }
        };
        let term_from = day("term_from");
        let term_to = day("term_to");
        let mut flag = |key: &'static str, default: bool| {
            let text = cell(key);
            yes_no(&text, default).unwrap_or_else(|| {
                problems.push(CellProblem::NotYesNo {
                    column: key,
                    value: text,
                });
                default
            })
        };
        let high_skill = flag("high_skill", false);
        let active = flag("active", true);
        let username = cell("username");
        if !username.is_empty() {
            if let Some(first_row) = seen.get(&username) {
                problems.push(CellProblem::DuplicateUsername {
                    username: username.clone(),
                    first_row: *first_row,
                });
            } else {
                seen.insert(username.clone(), line);
            }
        }
        let duty = match cell("duty") {
            d if d.is_empty() => crate::committee::Duty::Member.code().to_owned(),
            d => d,
        };
        match (term_from, term_to) {
            (Some(term_from), Some(term_to)) if problems.is_empty() => read.entries.push((
                line,
                ExpertEntry {
                    username,
                    name: cell("name"),
                    unit: cell("unit"),
                    series: cell("series"),
                    specialty: cell("specialty"),
                    title_level: cell("title_level"),
                    high_skill,
                    duty,
                    term_from,
                    term_to,
                    active,
                },
            )),
            _ => read.refused.push((line, problems)),
        }
    }
    Ok(read)
}

/// The `&'static` key of a column.
fn column_key(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(k, _)| *k)
        .unwrap_or("username")
}

/// The characters a spreadsheet may take as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell that no spreadsheet runs as a formula: a leading formula character gets a `'`
/// before it.
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(FORMULA_START) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn yes_no_text(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// The cells of an entry, in [`COLUMNS`] order.
fn cells(e: &ExpertEntry) -> [String; 11] {
    [
        e.username.clone(),
        e.name.clone(),
        e.unit.clone(),
        e.series.clone(),
        e.specialty.clone(),
        e.title_level.clone(),
        yes_no_text(e.high_skill).to_owned(),
        e.duty.clone(),
        e.term_from.format("%Y-%m-%d").to_string(),
        e.term_to.format("%Y-%m-%d").to_string(),
        yes_no_text(e.active).to_owned(),
    ]
}

/// The pool as a CSV: a UTF-8 BOM, the header row, one row per expert, every cell quoted and
/// none able to start a formula.
pub fn write_csv(entries: &[ExpertEntry]) -> Vec<u8> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to memory cannot fail.
        let _ = writer.write_record(COLUMNS.iter().map(|(key, zh)| header(key, zh)));
        for e in entries {
            let _ = writer.write_record(cells(e).iter().map(|c| safe_cell(c)));
        }
        let _ = writer.flush();
    }
    out
}

/// The pool as an XLSX: one sheet, the header row bold and frozen, every cell text (so nothing
/// is a formula, and dates stay as written).
pub fn write_xlsx(entries: &[ExpertEntry]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("专家库 experts")?;
    let bold = CellFormat::new().set_bold();
    for (col, (key, zh)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header(key, zh), &bold)?;
        sheet.set_column_width(col as u16, 16)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, e) in entries.iter().enumerate() {
        for (col, text) in cells(e).iter().enumerate() {
            sheet.write_string(row as u32 + 1, col as u16, text)?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn entry(username: &str) -> ExpertEntry {
        ExpertEntry {
            username: username.into(),
            name: "张工".into(),
            unit: "org-yn-machinery".into(),
            series: "engineering".into(),
            specialty: "机械".into(),
            title_level: "associate_senior".into(),
            high_skill: true,
            duty: "member".into(),
            term_from: day("2026-01-01"),
            term_to: day("2028-12-31"),
            active: true,
        }
    }

    const HEAD: &str = "用户名 username,姓名 name,单位代码 unit,系列 series,专业 specialty,职称级别 title_level,高技能人才 high_skill,职务 duty,任期开始 term_from,任期结束 term_to,在库 active\n";

    #[test]
    fn a_good_csv_reads_into_entries() {
        let file = format!(
            "\u{feff}{HEAD}zhang.gong,张工,org-yn-machinery,engineering,机械,associate_senior,是,member,2026-01-01,2028-12-31,是\n\
             li.gong,李工,org-yn-power,engineering,,senior,no,chair,2026/01/01,2028-12-31,\n"
        );
        let read = read(file.as_bytes()).unwrap();
        assert!(read.refused.is_empty(), "{:?}", read.refused);
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[0], (2, entry("zhang.gong")));
        let (line, li) = &read.entries[1];
        assert_eq!(*line, 3);
        assert_eq!(li.username, "li.gong");
        assert!(!li.high_skill);
        assert!(li.active, "an empty active cell means active");
        assert_eq!(li.duty, "chair");
        assert_eq!(li.specialty, "");
        assert_eq!(li.term_from, day("2026-01-01"));
    }

    #[test]
    fn headers_in_either_language_and_any_order_are_read() {
        let file = "term_to,TERM_FROM,单位代码,系列,职称级别,姓名,username\n\
                    2028-12-31,2026-01-01,org-yn-machinery,engineering,senior,王工,wang\n";
        let read = read(file.as_bytes()).unwrap();
        assert_eq!(read.entries.len(), 1, "{read:?}");
        let e = &read.entries[0].1;
        assert_eq!(
            (e.username.as_str(), e.name.as_str(), e.title_level.as_str()),
            ("wang", "王工", "senior")
        );
        assert_eq!(e.duty, "member");
        assert!(!e.high_skill && e.active);
    }

    #[test]
    fn each_bad_cell_is_reported_on_its_row_and_the_good_rows_still_read() {
        let file = format!(
            "{HEAD}\
             ok.one,甲,u,engineering,,senior,是,member,2026-01-01,2028-12-31,是\n\
             bad.date,乙,u,engineering,,senior,是,member,2026-13-01,2028-12-31,是\n\
             bad.flag,丙,u,engineering,,senior,maybe,member,2026-01-01,2028-12-31,是\n\
             ,丁,,engineering,,senior,是,member,2026-01-01,,是\n\
             ok.one,戊,u,engineering,,senior,是,member,2026-01-01,2028-12-31,是\n\
             \n\
             ok.two,己,u,engineering,,senior,否,member,2026-01-01,2028-12-31,否\n"
        );
        let read = read(file.as_bytes()).unwrap();
        assert_eq!(
            read.entries
                .iter()
                .map(|(l, e)| (*l, e.username.as_str()))
                .collect::<Vec<_>>(),
            vec![(2, "ok.one"), (8, "ok.two")]
        );
        assert_eq!(
            read.refused,
            vec![
                (
                    3,
                    vec![CellProblem::NotADate {
                        column: "term_from",
                        value: "2026-13-01".into()
                    }]
                ),
                (
                    4,
                    vec![CellProblem::NotYesNo {
                        column: "high_skill",
                        value: "maybe".into()
                    }]
                ),
                (
                    5,
                    vec![
                        CellProblem::Empty { column: "username" },
                        CellProblem::Empty { column: "unit" },
                        CellProblem::Empty { column: "term_to" },
                    ]
                ),
                (
                    6,
                    vec![CellProblem::DuplicateUsername {
                        username: "ok.one".into(),
                        first_row: 2
                    }]
                ),
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_a_pool_is_refused_whole() {
        assert_eq!(read(b""), Err(FileError::Empty));
        assert_eq!(read(b"\n\n"), Err(FileError::Empty));
        assert_eq!(
            read("username,name,colour\n".as_bytes()),
            Err(FileError::UnknownColumn("colour".into()))
        );
        assert_eq!(
            read("username,name,unit,series,title_level,term_from\n".as_bytes()),
            Err(FileError::MissingColumn("term_to"))
        );
        assert_eq!(
            read("username,用户名\n".as_bytes()),
            Err(FileError::DuplicateColumn("username"))
        );
        // GBK bytes are not UTF-8.
        assert_eq!(read(b"\xd3\xc3\xbb\xa7,name\n"), Err(FileError::Unreadable));
        // A ZIP that is no workbook.
        assert_eq!(read(b"PK\x03\x04garbage"), Err(FileError::Unreadable));
    }

    #[test]
    fn the_limits_hold_and_are_defined_once() {
        let too_big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert_eq!(
            read(&too_big),
            Err(FileError::TooLarge {
                max_bytes: MAX_FILE_BYTES
            })
        );
        let row = "u,甲,u,engineering,,senior,是,member,2026-01-01,2028-12-31,是\n";
        let mut at_limit = HEAD.to_owned();
        for i in 0..MAX_ROWS {
            at_limit.push_str(&row.replacen('u', &format!("u{i}"), 1));
        }
        assert!(at_limit.len() <= MAX_FILE_BYTES);
        let read_ok = read(at_limit.as_bytes()).unwrap();
        assert_eq!(read_ok.entries.len(), MAX_ROWS);
        let over = format!("{at_limit}{}", row.replacen('u', "last", 1));
        assert_eq!(
            read(over.as_bytes()),
            Err(FileError::TooManyRows { max: MAX_ROWS })
        );
    }

    #[test]
    fn csv_round_trips_and_no_cell_starts_a_formula() {
        let mut tricky = entry("=cmd.exe");
        tricky.name = "+SUM(A1)\"引号\"".into();
        tricky.specialty = "@机械, 电气".into();
        tricky.high_skill = false;
        tricky.active = false;
        let pool = vec![entry("zhang.gong"), tricky];
        let bytes = write_csv(&pool);
        assert!(bytes.starts_with(b"\xef\xbb\xbf"), "a BOM first");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(
            text.starts_with("\"用户名 username\",\"姓名 name\""),
            "{text}"
        );
        for field in text.split(',') {
            let inner = field.trim().trim_start_matches('"');
            assert!(!inner.starts_with(['=', '+', '@']), "{field}");
        }
        let back = read(&bytes).unwrap();
        assert!(back.refused.is_empty(), "{:?}", back.refused);
        let entries: Vec<ExpertEntry> = back.entries.into_iter().map(|(_, e)| e).collect();
        assert_eq!(entries, pool);
    }

    #[test]
    fn xlsx_round_trips() {
        let mut other = entry("li.gong");
        other.duty = "vice_chair".into();
        other.high_skill = false;
        other.term_to = day("2029-01-01");
        let pool = vec![entry("zhang.gong"), other, entry("123456")];
        let bytes = write_xlsx(&pool).unwrap();
        assert_eq!(Format::sniff(&bytes), Format::Xlsx);
        let back = read(&bytes).unwrap();
        assert!(back.refused.is_empty(), "{:?}", back.refused);
        assert_eq!(
            back.entries.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            vec![2, 3, 4]
        );
        let entries: Vec<ExpertEntry> = back.entries.into_iter().map(|(_, e)| e).collect();
        assert_eq!(entries, pool);
    }

    #[test]
    fn xlsx_dates_and_numbers_typed_in_a_spreadsheet_read() {
        use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, (key, zh)) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, col as u16, header(key, zh)).unwrap();
        }
        let date_format = CellFormat::new().set_num_format("yyyy-mm-dd");
        sheet.write_number(1, 0, 42.0).unwrap();
        sheet.write_string(1, 1, "数字").unwrap();
        sheet.write_string(1, 2, "u").unwrap();
        sheet.write_string(1, 3, "engineering").unwrap();
        sheet.write_string(1, 5, "senior").unwrap();
        sheet.write_boolean(1, 6, true).unwrap();
        let from = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
        let to = ExcelDateTime::from_ymd(2028, 12, 31).unwrap();
        sheet
            .write_datetime_with_format(1, 8, &from, &date_format)
            .unwrap();
        sheet
            .write_datetime_with_format(1, 9, &to, &date_format)
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let read = read(&bytes).unwrap();
        assert!(read.refused.is_empty(), "{:?}", read.refused);
        let e = &read.entries[0].1;
        assert_eq!(e.username, "42");
        assert!(e.high_skill);
        assert_eq!(
            (e.term_from, e.term_to),
            (day("2026-01-01"), day("2028-12-31"))
        );
    }
}
