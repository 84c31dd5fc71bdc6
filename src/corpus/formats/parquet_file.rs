//! Parquet files, the form datasets shared on model hubs take: one article
//! per row, columns mapped to fields by name through the alias table
//! ([`crate::corpus::fields`]), as for CSV headers and JSON keys.
//!
//! Only the columns the table knows are read (a projection), so a dataset
//! with an embedding or image column costs nothing for it, and row groups
//! are read one at a time. Strings, binary columns holding text, lists of
//! strings (`authors`) and numbers are read; dates may be strings, `DATE`
//! or timestamp columns, or Unix seconds/milliseconds. A row group that
//! cannot be read is one warning, and the next is read. Parquet needs
//! random access, so it is read from a file, not from a compressed stream.
//! Built with the default cargo feature `parquet`.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Result};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field as Value, Row};
use parquet::schema::types::Type;

use crate::corpus::fields::{self, DateValue, Field, FieldUse, Record};
use crate::corpus::sink::Sink;

/// The text of a Parquet value, if it has one.
fn text_of(v: &Value, sep: &str) -> Option<String> {
    let s = match v {
        Value::Str(s) => s.clone(),
        Value::Bytes(b) => String::from_utf8_lossy(b.data()).into_owned(),
        Value::ListInternal(list) => {
            let parts: Vec<String> = list
                .elements()
                .iter()
                .filter_map(|e| text_of(e, sep))
                .collect();
            parts.join(sep)
        }
        Value::Null | Value::Group(_) | Value::MapInternal(_) => return None,
        other => other.to_string(),
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// A date column's value.
fn date_of(v: &Value) -> Option<DateValue> {
    Some(match v {
        Value::Date(days) => DateValue::Number(f64::from(*days) * 86_400.0),
        Value::TimestampMillis(ms) => DateValue::Number(*ms as f64),
        Value::TimestampMicros(us) => DateValue::Number((*us / 1000) as f64),
        Value::Int(n) => DateValue::Number(f64::from(*n)),
        Value::Long(n) => DateValue::Number(*n as f64),
        Value::UInt(n) => DateValue::Number(f64::from(*n)),
        Value::ULong(n) => DateValue::Number(*n as f64),
        Value::Double(n) => DateValue::Number(*n),
        other => DateValue::Text(text_of(other, " ")?),
    })
}

/// A column of the file and the field the alias table gives it, if any.
type ColumnUse = (String, Option<(Field, usize)>);

/// Reads the Parquet file at `path`.
pub fn read(path: &Path, out: &mut Sink) -> Result<()> {
    let file = File::open(path).map_err(|e| anyhow::anyhow!("cannot read: {e}"))?;
    let reader = SerializedFileReader::new(file)
        .map_err(|e| anyhow::anyhow!("not a readable Parquet file ({e})"))?;
    let meta = reader.metadata();
    let (projection, uses) = columns(meta.file_metadata().schema())?;
    let mut row_no = 0usize;
    let mut shown_uses = false;
    for g in 0..reader.num_row_groups() {
        let rows_in_group = meta.row_group(g).num_rows().max(0) as usize;
        let group = reader.get_row_group(g);
        let rows = group.as_ref().map_err(|e| e.to_string()).and_then(|rg| {
            rg.get_row_iter(Some(projection.clone()))
                .map_err(|e| e.to_string())
        });
        let rows = match rows {
            Ok(r) => r,
            Err(e) => {
                out.warn(format!(
                    "row group {g} ({rows_in_group} rows) cannot be read ({e}), skipped"
                ));
                row_no += rows_in_group;
                continue;
            }
        };
        let group_start = row_no;
        for row in rows {
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    let left = (group_start + rows_in_group).saturating_sub(row_no);
                    out.warn(format!("row group {g}: {e}; its last {left} rows skipped"));
                    row_no = group_start + rows_in_group;
                    break;
                }
            };
            row_no += 1;
            let rec = record_of(&row);
            if !shown_uses {
                shown_uses = true;
                fields::merge_uses(&mut out.fields, column_uses(&rec, &uses), 64);
            }
            emit_row(rec, row_no, out);
        }
    }
    if out.count == 0 {
        if row_no == 0 {
            bail!("no rows");
        }
        bail!("no row with a title or text");
    }
    Ok(())
}

/// The top-level columns the alias table knows, as the projection to
/// read, and every column with its field; an error when none names a
/// title or text.
fn columns(schema: &Type) -> Result<(Type, Vec<ColumnUse>)> {
    let mut kept: Vec<Arc<Type>> = Vec::new();
    let mut roles = Vec::new();
    let mut uses = Vec::new();
    for col in schema.get_fields() {
        let role = fields::lookup(col.name());
        if let Some(r) = role {
            kept.push(col.clone());
            roles.push((col.name().to_string(), r));
        }
        uses.push((col.name().to_string(), role));
    }
    if !roles
        .iter()
        .any(|(_, (f, _))| matches!(f, Field::Title | Field::Body | Field::Summary))
    {
        let names: Vec<&str> = uses.iter().map(|(n, _)| n.as_str()).take(12).collect();
        bail!(
            "no column names a title or text (columns: {})",
            names.join(", ")
        );
    }
    let projection = Type::group_type_builder(schema.name())
        .with_fields(kept)
        .build()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((projection, uses))
}

/// The fields of one row.
fn record_of(row: &Row) -> Record {
    let mut rec = Record::new();
    for (name, value) in row.get_column_iter() {
        let Some((field, rank)) = fields::lookup(name) else {
            continue;
        };
        match field {
            Field::Date => {
                if let Some(d) = date_of(value) {
                    rec.offer_date(rank, name, d);
                }
            }
            Field::Author => {
                if let Some(t) = text_of(value, ", ") {
                    rec.offer_as(field, rank, name, &t);
                }
            }
            _ => {
                if let Some(t) = text_of(value, "\n") {
                    rec.offer_as(field, rank, name, &t);
                }
            }
        }
    }
    rec
}

/// What became of every column in the first row (`inspect`'s field map).
fn column_uses(rec: &Record, uses: &[ColumnUse]) -> Vec<FieldUse> {
    let mut all: Vec<FieldUse> = Vec::new();
    let got = rec.uses();
    for (name, role) in uses {
        let to = match role {
            None => "-",
            Some(_) => got
                .iter()
                .find(|u| &u.from == name)
                .map(|u| u.to)
                .unwrap_or("-"),
        };
        all.push(FieldUse {
            from: name.clone(),
            to,
        });
    }
    all
}

/// The article of row `row_no` (its id the row's place when it has none),
/// or a warning that it has no title or text.
fn emit_row(rec: Record, row_no: usize, out: &mut Sink) {
    let mut warnings = Vec::new();
    match rec.into_article(&mut |w| warnings.push(w)) {
        Some(mut a) => {
            if a.id.is_empty() {
                a.id = out.record_id(row_no);
            }
            out.emit(a);
        }
        None => warnings.push("no title or text, skipped".to_string()),
    }
    for w in warnings {
        out.warn(format!("row {row_no}: {w}"));
    }
}
