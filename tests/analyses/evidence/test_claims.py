"""claims.yml: read and validated; named groups resolved, pooled alternatives included."""
from __future__ import annotations

import pytest
import yaml
from evidence_helpers import claim

from icevidence import load_study
from icevidence.analyses.evidence import claims as cl
from icevidence.model.errors import ConfigError


def test_claims_yml_is_read_and_an_unknown_quantifier_refused(mini_copy):
    (mini_copy / "claims.yml").write_text(yaml.safe_dump([claim()]))
    study = load_study("mini", root=mini_copy.parent)
    assert len(cl.read_claims(study)) == 1
    (mini_copy / "claims.yml").write_text(yaml.safe_dump([claim(quantifier="loads")]))
    with pytest.raises(ConfigError, match="'loads'"):
        cl.read_claims(study)


def test_a_claim_without_section_or_scope_is_refused_naming_both(mini_copy):
    record = {k: v for k, v in claim().items() if k not in ("section", "scope")}
    (mini_copy / "claims.yml").write_text(yaml.safe_dump([record]))
    with pytest.raises(ConfigError, match="C-1 lacks section, scope"):
        cl.read_claims(load_study("mini", root=mini_copy.parent))


def test_an_unknown_scope_is_refused(mini_copy):
    (mini_copy / "claims.yml").write_text(yaml.safe_dump([claim(scope="everyone")]))
    with pytest.raises(ConfigError, match="scope 'everyone'"):
        cl.read_claims(load_study("mini", root=mini_copy.parent))


def test_groups_are_matched_against_participant_columns(mini):
    assert cl.resolve_group(mini, "micro") == ("tier", "micro")
    assert cl.resolve_group(mini, "nurse") == ("professional_group", "Nurse")
    assert cl.resolve_group(mini, "gender Female") == ("gender", "Female")
    assert cl.resolve_group(mini, "GPs") is None


# Tracy 2025, Results: Stage of innovation, para 1: "The leadership groups largely concurred" — the meso and
# macro groups together, so either group's quote evidences them: recorded as 'meso or macro'.
def test_a_pooled_group_resolves_to_its_alternatives_in_one_column(mini):
    pooled = cl.resolve_named(mini, "meso or macro")
    assert (pooled.column, pooled.values) == ("tier", frozenset({"meso", "macro"}))
    assert cl.resolve_named(mini, "meso or nurse") is None and cl.resolve_named(mini, "meso or GPs") is None


@pytest.mark.parametrize("study", ["tracy2025", "mitchell2020", "mitchell2023"])
def test_every_claim_of_the_papers_records_its_section_and_scope(study):
    claims = cl.read_claims(load_study(study))
    assert claims and all(c["section"] in cl.SECTIONS and c["scope"] in cl.SCOPES for c in claims)
