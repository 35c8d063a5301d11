//! Output: results are built as Arrow arrays and handed back as one record batch.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int64Array, RecordBatch, StringArray,
};

use crate::error::{Error, Result};

/// A float column; NaN becomes null.
pub fn f64_array(values: Vec<f64>) -> ArrayRef {
    if values.iter().any(|v| v.is_nan()) {
        Arc::new(
            values.into_iter().map(|v| if v.is_nan() { None } else { Some(v) }).collect::<Float64Array>(),
        )
    } else {
        Arc::new(Float64Array::from(values))
    }
}

/// An integer column.
pub fn i64_array(values: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(values))
}

/// A boolean column.
pub fn bool_array(values: Vec<bool>) -> ArrayRef {
    Arc::new(BooleanArray::from(values))
}

/// A string column.
pub fn str_array(values: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}

/// A date column from days since 1970-01-01.
pub fn date_array(days: Vec<i32>) -> ArrayRef {
    Arc::new(Date32Array::from(days))
}

/// A categorical (dictionary) column: pandas reads it as `category` with these levels in order.
pub fn categorical_array(codes: Vec<u32>, levels: &[String]) -> Result<ArrayRef> {
    let keys = arrow_array::Int32Array::from(codes.into_iter().map(|c| c as i32).collect::<Vec<_>>());
    let values: ArrayRef = Arc::new(StringArray::from(levels.to_vec()));
    let dict = DictionaryArray::<Int32Type>::try_new(keys, values)
        .map_err(|e| Error::parameter("levels", e.to_string()))?;
    Ok(Arc::new(dict))
}

/// Builds one record batch from named columns of equal length.
pub fn batch(columns: Vec<(String, ArrayRef)>) -> Result<RecordBatch> {
    RecordBatch::try_from_iter(columns).map_err(|e| Error::parameter("result", e.to_string()))
}
