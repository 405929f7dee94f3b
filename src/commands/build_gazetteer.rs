//! `newsdex build-gazetteer`: build the compact place gazetteer from GeoNames.
use std::path::Path;
use std::process::ExitCode;

pub fn run(_geonames: &Path, _out: &Path, _json: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("build-gazetteer is not available in this build")
}
