//! Normalize: raw record fields → [`crate::article::Article`]. Pure functions. Decides the stable id.
