//! The predicted-versus-true RUL scatter as a PNG (plotters, bitmap backend).
//!
//! Axes run from 0 to [`AXIS_KM`]; predictions beyond it are drawn on the
//! top edge. The diagonal is a perfect prediction. Text needs a TrueType
//! font: the one given (by default DejaVu Sans where Debian installs it);
//! without one the plot is drawn without labels.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::error::EvaluateError;
use super::metrics::RulPoint;

/// Upper end of both axes, km.
pub const AXIS_KM: f64 = 15_000.0;

/// Where Debian's fonts-dejavu-core puts DejaVu Sans.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// Registers the TrueType font at `path` as plotters' sans-serif; false when it cannot be read.
fn load_font(path: &Path) -> bool {
    match std::fs::read(path) {
        Ok(bytes) => register_font("sans-serif", FontStyle::Normal, Box::leak(bytes.into_boxed_slice())).is_ok(),
        Err(_) => false,
    }
}

/// Draws `points` to a PNG at `path`, titled `title`, labelled with the font at `font`.
pub fn draw(path: &Path, points: &[RulPoint], title: &str, font: &Path) -> Result<(), EvaluateError> {
    let labelled = load_font(font);
    let fail = |e: &dyn std::fmt::Display| EvaluateError::Plot { path: path.to_path_buf(), reason: e.to_string() };
    let root = BitMapBackend::new(path, (900, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let mut builder = ChartBuilder::on(&root);
    builder.margin(20);
    if labelled {
        builder.caption(title, ("sans-serif", 22)).x_label_area_size(50).y_label_area_size(70);
    } else {
        builder.x_label_area_size(10).y_label_area_size(10);
    }
    let mut chart = builder.build_cartesian_2d(0.0..AXIS_KM, 0.0..AXIS_KM).map_err(|e| fail(&e))?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(RGBColor(235, 235, 235));
    if labelled {
        mesh.x_desc("true remaining km")
            .y_desc("predicted rul_km")
            .label_style(("sans-serif", 15))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"));
    } else {
        mesh.disable_x_axis().disable_y_axis();
    }
    mesh.draw().map_err(|e| fail(&e))?;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (AXIS_KM, AXIS_KM)], &BLACK)).map_err(|e| fail(&e))?;
    let dots = points
        .iter()
        .filter(|p| p.true_km <= AXIS_KM)
        .map(|p| Circle::new((p.true_km, p.predicted_km.clamp(0.0, AXIS_KM)), 2, BLUE.mix(0.35).filled()));
    chart.draw_series(dots).map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))
}
