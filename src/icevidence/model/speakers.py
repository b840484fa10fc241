"""Who spoke each segment: the key every participant count is made on."""
from __future__ import annotations

import pandas as pd


def speaker_keys(segments: pd.DataFrame) -> pd.Series:
    """Who spoke: the participant id; else the attribution as printed; else the segment itself.

    Unresolved speakers are never merged with known ones, so participant counts are upper bounds
    where attributions are malformed, and this is said in every report.
    """
    keys = segments["participant_id"].astype("object")
    missing = keys.isna()
    if not missing.any():
        return keys
    unresolved = segments[missing]
    by_attribution = "attribution: " + unresolved["attribution_raw"].astype("object")
    by_segment = "segment: " + unresolved["segment_id"].astype("object")
    return keys.where(~missing, by_attribution.fillna(by_segment))
