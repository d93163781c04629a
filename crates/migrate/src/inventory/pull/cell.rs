//! A tiberius cell as the text the CSV export holds — the same text `sqlcmd` would print, so
//! the shared row mapping sees identical input from both routes.

use tiberius::ColumnData;

/// The text of one cell; `Ok(None)` for SQL `NULL`.
///
/// # Errors
/// The SQL type name for types the export never selects (dates, binary-like XML).
pub fn cell_text(data: &ColumnData<'_>) -> Result<Option<String>, &'static str> {
    Ok(match data {
        ColumnData::U8(v) => v.map(|v| v.to_string()),
        ColumnData::I16(v) => v.map(|v| v.to_string()),
        ColumnData::I32(v) => v.map(|v| v.to_string()),
        ColumnData::I64(v) => v.map(|v| v.to_string()),
        ColumnData::F32(v) => v.map(|v| v.to_string()),
        ColumnData::F64(v) => v.map(|v| v.to_string()),
        ColumnData::Bit(v) => v.map(|b| if b { "1" } else { "0" }.to_owned()),
        ColumnData::String(v) => v.as_ref().map(|s| s.to_string()),
        // SMS shows GUIDs upper-case; keep that spelling.
        ColumnData::Guid(v) => v.map(|g| g.hyphenated().to_string().to_ascii_uppercase()),
        ColumnData::Numeric(v) => v.map(|n| n.to_string()),
        ColumnData::Binary(v) => v.as_ref().map(|bytes| {
            let mut hex = String::with_capacity(2 + 2 * bytes.len());
            hex.push_str("0x");
            for b in bytes.iter() {
                hex.push_str(&format!("{b:02X}"));
            }
            hex
        }),
        ColumnData::Xml(_) => return Err("xml"),
        ColumnData::DateTime(_) | ColumnData::SmallDateTime(_) => return Err("datetime"),
        ColumnData::Time(_) => return Err("time"),
        ColumnData::Date(_) => return Err("date"),
        ColumnData::DateTime2(_) => return Err("datetime2"),
        ColumnData::DateTimeOffset(_) => return Err("datetimeoffset"),
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::inventory::map::{map_row, Record};
    use crate::inventory::schema::Table;

    /// The CSV route and the tiberius route reach `map_row` with the same cells.
    #[test]
    fn database_cells_map_like_csv_cells() {
        let db_row = [
            ColumnData::String(Some(Cow::Borrowed("BMT"))),
            ColumnData::String(Some(Cow::Borrowed("Beaumont"))),
            ColumnData::String(Some(Cow::Borrowed("HOU"))),
            ColumnData::I32(Some(1)),
            ColumnData::String(Some(Cow::Borrowed("2.50.4160.2000"))),
            ColumnData::I32(Some(4160)),
            ColumnData::String(Some(Cow::Borrowed("BMTSMS01"))),
            ColumnData::String(None),
            ColumnData::String(None),
            ColumnData::String(None),
            ColumnData::String(None),
        ];
        let cells: Vec<Option<String>> = db_row.iter().map(|c| cell_text(c).unwrap()).collect();
        let csv_line = "BMT,Beaumont,HOU,1,2.50.4160.2000,4160,BMTSMS01,,,,";
        let csv_cells: Vec<Option<String>> =
            csv_line.split(',').map(|s| Some(s.to_owned())).collect();
        let a = map_row(Table::Sites, &cells).unwrap();
        let b = map_row(Table::Sites, &csv_cells).unwrap();
        assert_eq!(a, b);
        assert!(matches!(a, Record::Site(_)));
    }

    #[test]
    fn scalar_types_render_like_sqlcmd() {
        assert_eq!(
            cell_text(&ColumnData::Bit(Some(true))),
            Ok(Some("1".into()))
        );
        assert_eq!(cell_text(&ColumnData::U8(Some(2))), Ok(Some("2".into())));
        assert_eq!(cell_text(&ColumnData::I64(None)), Ok(None));
        assert_eq!(
            cell_text(&ColumnData::Binary(Some(Cow::Borrowed(&[0xAB, 0x01])))),
            Ok(Some("0xAB01".into()))
        );
        let guid = tiberius::Uuid::from_u128(0x0f4c_0000_0000_0000_0000_0000_0000_00ab);
        assert_eq!(
            cell_text(&ColumnData::Guid(Some(guid))),
            Ok(Some("0F4C0000-0000-0000-0000-0000000000AB".into()))
        );
        assert_eq!(cell_text(&ColumnData::DateTime(None)), Err("datetime"));
    }
}
