"""Hazard categories, mappings from other taxonomies and custom policies."""

from slmguard.taxonomy.hazards import DEFAULT_TAXONOMY, Hazard, Taxonomy
from slmguard.taxonomy.mappings import CategoryMapping, map_categories, map_category, to_openai_categories
from slmguard.taxonomy.policy import load_policy, policy_from_dict

__all__ = [
    "DEFAULT_TAXONOMY",
    "CategoryMapping",
    "Hazard",
    "Taxonomy",
    "load_policy",
    "map_categories",
    "map_category",
    "policy_from_dict",
    "to_openai_categories",
]
