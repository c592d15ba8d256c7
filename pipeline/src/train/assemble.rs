//! Assembling a fitted model into a model file's content: when, from what,
//! and a version derived from what was fitted.

use sha2::{Digest, Sha256};

use operators::prognostics::model::{FORMAT, TrainingData};
use operators::prognostics::{ComponentModel, Model};

/// The model of `components` fitted on `training`, stamped now, with a
/// content-derived version `<prefix>-<best learner>-<8 hex>`.
pub fn assemble(prefix: &str, usage_axis: &str, training: TrainingData, components: Vec<ComponentModel>) -> Model {
    let mut model = Model {
        format: FORMAT,
        version: "".into(),
        trained_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        usage_axis: usage_axis.into(),
        training,
        components,
    };
    model.version = version(prefix, &model).into();
    model
}

/// A content-derived model version: `<prefix>-<learner>-<8 hex of the fitted parts>`.
fn version(prefix: &str, model: &Model) -> String {
    let parts = serde_json::to_vec(&(&model.training, &model.components)).unwrap_or_default();
    let digest = hex::encode(Sha256::digest(&parts));
    let learner = model
        .components
        .first()
        .and_then(|c| {
            c.tried.iter().filter_map(|t| Some((t, t.scores.as_ref()?.rmse))).min_by(|a, b| a.1.total_cmp(&b.1))
        })
        .map(|(t, _)| t.learner.split('(').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    format!("{prefix}-{learner}-{}", &digest[..8])
}
