"""Supply against demand per focus area, counted by hand."""

from kbio.lib.supply_demand import Balance, Participant, balances

KINDS = {
    "ipsc": "modality",
    "antibody": "modality",
    "oncology": "therapeutic_area",
    "immuno-oncology": "therapeutic_area",
    "musculoskeletal": "therapeutic_area",
    "glp-tox": "service",
    "cmc": "service",
    "clinical-ops": "service",
}
PARENTS = {"immuno-oncology": "oncology"}
ORDER = list(KINDS)


def test_each_side_counts_by_its_role():
    participants = [
        # A venture working on iPSC for bone, with an open immuno-oncology asset; its next
        # steps need GLP toxicology and manufacturing.
        Participant(
            "venture",
            frozenset({"ipsc", "musculoskeletal"}),
            asset_areas=frozenset({"ipsc", "immuno-oncology"}),
            needs=frozenset({"glp-tox", "cmc"}),
        ),
        # An academic group on antibodies in oncology that needs manufacturing.
        Participant("academia", frozenset({"antibody", "oncology"}), needs=frozenset({"cmc"})),
        # Pharma seeking iPSC and oncology (and listing a service, which is not an offer).
        Participant("pharma", frozenset({"ipsc", "oncology", "cmc"})),
        # An investor seeking immuno-oncology.
        Participant("investor", frozenset({"immuno-oncology"})),
        # A CRO offering GLP toxicology and clinical operations; its oncology focus is neither.
        Participant("cro_cdmo", frozenset({"glp-tox", "clinical-ops", "oncology"})),
        # An agency offering nothing counted here.
        Participant("agency", frozenset({"musculoskeletal"})),
    ]
    found = balances(participants, KINDS, PARENTS, ORDER)
    assert found["modality"] == [Balance("ipsc", 1, 1), Balance("antibody", 0, 1)]
    assert found["therapeutic_area"] == [
        # Oncology: pharma + investor (immuno-oncology rolls up) seek; venture (via its
        # immuno-oncology asset) + academia offer.
        Balance("oncology", 2, 2),
        Balance("immuno-oncology", 1, 1),
        Balance("musculoskeletal", 0, 1),
    ]
    assert found["service"] == [
        Balance("glp-tox", 1, 1),
        Balance("cmc", 2, 1),
        Balance("clinical-ops", 0, 1),
    ]


def test_an_organization_counts_once_per_area():
    twice = Participant(
        "venture",
        frozenset({"ipsc", "immuno-oncology", "oncology"}),
        asset_areas=frozenset({"ipsc", "immuno-oncology"}),
    )
    found = balances([twice], KINDS, PARENTS, ORDER)
    assert Balance("ipsc", 0, 1) in found["modality"]
    assert Balance("oncology", 0, 1) in found["therapeutic_area"]


def test_areas_nobody_names_are_left_out():
    found = balances([], KINDS, PARENTS, ORDER)
    assert found == {"modality": [], "therapeutic_area": [], "service": []}
