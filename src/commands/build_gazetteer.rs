//! `newsdex build-gazetteer`: builds the compact gazetteer file (`model/geo.bin`) from the GeoNames
//! dumps. Reproduce the committed file with
//!
//! ```text
//! newsdex build-gazetteer --geonames ../shared/data/geonames --out model/geo.bin
//! ```

use crate::entities::build::build_from_dir;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Builds the gazetteer from the GeoNames folder `geonames` and writes it to `out`; prints a
/// one-line summary (or, with `json`, a JSON object).
pub fn run(geonames: &Path, out: &Path, json: bool) -> Result<ExitCode> {
    let (gazetteer, stats) = build_from_dir(geonames)?;
    let bytes = gazetteer.encode();
    super::write_file(out, &bytes)?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "out": out.display().to_string(),
                "bytes": bytes.len(),
                "countries": stats.countries,
                "regions": stats.regions,
                "cities": stats.cities,
                "alternate_names": stats.alternates,
            })
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "wrote {}: {} bytes, {} countries, {} regions, {} cities, {} alternate names",
        out.display(),
        bytes.len(),
        stats.countries,
        stats.regions,
        stats.cities,
        stats.alternates
    );
    Ok(ExitCode::SUCCESS)
}
